import { createRequire } from 'node:module';
import type TabModule from '@bomb.sh/tab/commander';
import type { Command } from '@commander-js/extra-typings';
import type { CommandModule } from './registry.js';

// An ES module, required (Node ≥ 20.19) rather than imported: the same call works compiled as
// ES modules (tests) and bundled as CommonJS, where a static import would lose its default export.
const tab = (
  createRequire(import.meta.url)('@bomb.sh/tab/commander') as { default: typeof TabModule }
).default;

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
