// The system's open dialog for files to import, inspect or validate (issue #3). Electron's dialog
// is passed in, so main.ts stays wiring only.
import type { BrowserWindow, Dialog } from 'electron';
import type { ChooseFilesRequest } from '../ipc/context';

const TITLES: Record<ChooseFilesRequest['purpose'], string> = {
  import: 'Choose files to import',
  inspect: 'Choose a file to inspect',
  validate: 'Choose a certificate to validate',
};

export async function chooseFilesToRead(
  dialog: Dialog,
  window: BrowserWindow | undefined,
  request: ChooseFilesRequest,
  defaultPath: string,
): Promise<string[]> {
  if (!window) return [];
  const result = await dialog.showOpenDialog(window, {
    title: TITLES[request.purpose],
    defaultPath,
    properties: request.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
    // Formats are detected from the bytes, so every file may be chosen; the list only helps.
    filters: [
      { name: 'All files', extensions: ['*'] },
      {
        name: 'Certificates, keys, CRLs and key stores',
        extensions: ['pem', 'crt', 'cer', 'der', 'key', 'p7b', 'p7c', 'p12', 'pfx', 'jks'],
      },
      { name: 'More', extensions: ['jceks', 'csr', 'req', 'crl', 'p8', 'ks', 'keystore'] },
    ],
  });
  return result.canceled ? [] : result.filePaths;
}
