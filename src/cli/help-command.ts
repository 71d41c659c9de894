import type { Command } from 'commander';

// Commander's own `help NAME` shows the general help for a name it does not know, exit 1; a
// mistyped topic is a usage error like a mistyped command, in `jindu help` and `jindu token help`.
export function strictHelpCommand(parent: Command): void {
  parent.helpCommand(false);
  parent
    .command('help')
    .argument('[command]', 'the command to describe')
    .description('display help for command')
    .action((name?: string) => {
      if (name === undefined) parent.help();
      const sub = parent.commands.find((c) => c.name() === name && c.name() !== 'help');
      if (!sub)
        return parent.error(`unknown command '${name}'`, {
          exitCode: 2,
          code: 'jindu.unknownHelp',
        });
      sub.help();
    });
}
