import tab from '@bomb.sh/tab/commander';
import type { Command } from '@commander-js/extra-typings';
import type { CommandModule } from './registry.js';

export const commands: CommandModule['commands'] = {
  completion(program: Command) {
    // @bomb.sh/tab adds `completion <shell>` and the hidden `complete -- …` it calls back.
    tab(program as unknown as Parameters<typeof tab>[0], { completionCommandName: 'completion' });
    const completion = program.commands.find((c) => c.name() === 'completion');
    completion
      ?.description('Print a shell completion script (bash, zsh, fish, powershell)')
      .addHelpText(
        'after',
        `
Examples:
  $ source <(crmctl completion bash)
  $ crmctl completion zsh > ~/.crmctl-completion.zsh`,
      );
  },
};
