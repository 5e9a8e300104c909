// Copies public text (PEM, fingerprints) to the clipboard and says so.
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import Button from '@mui/material/Button';
import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    window.setTimeout(() => setCopied(undefined), 2000);
  };

  return (
    <Button
      size="small"
      startIcon={<ContentCopyIcon />}
      onClick={() => void copy()}
      aria-live="polite"
    >
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy refused' : label}
    </Button>
  );
}
