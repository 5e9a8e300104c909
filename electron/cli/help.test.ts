import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './main';

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

function helpOf(command: Command): string {
  return command.helpInformation();
}

describe('the CLI help (newcomer finding #16)', () => {
  it('marks --label of key generate as required', () => {
    const key = buildProgram().commands.find((c) => c.name() === 'key')!;
    const generate = key.commands.find((c) => c.name() === 'generate')!;
    expect(helpOf(generate)).toMatch(/--label <text>\s+\(required\) a name people recognise/);
    expect(helpOf(generate)).toMatch(/--purpose <purpose>\s+one of/);
  });

  it('marks every required option of every command as required, and no other', () => {
    const commands = allCommands(buildProgram());
    let required = 0;
    for (const command of commands) {
      const help = helpOf(command).replace(/\s+/g, ' ');
      for (const option of command.options) {
        const marked = help.includes(`${option.flags} (required)`);
        expect({ command: command.name(), option: option.flags, marked }).toEqual({
          command: command.name(),
          option: option.flags,
          marked: option.mandatory,
        });
        if (option.mandatory) required += 1;
      }
    }
    expect(required).toBeGreaterThan(20);
  });

  it('says which of the either-or issuance options are required', () => {
    const ca = buildProgram().commands.find((c) => c.name() === 'ca')!;
    const root = helpOf(ca.commands.find((c) => c.name() === 'root')!).replace(/\s+/g, ' ');
    expect(root).toContain('--algorithm <name> (required: this or --key)');
    expect(root).toContain('--years <n> (required: this and/or --days)');
  });
});
