import { createRequire } from 'node:module';
import type * as Inquirer from '@inquirer/prompts';
import type { IOStreams } from './io.js';

/** Asks a person questions on stderr; only used when `canPrompt` says a person is there. */
export interface Prompter {
  confirm(message: string, defaultAnswer?: boolean): Promise<boolean>;
  input(
    message: string,
    options?: { defaultValue?: string; validate?: (value: string) => true | string },
  ): Promise<string>;
  select<T extends string>(
    message: string,
    choices: { value: T; name?: string; description?: string }[],
  ): Promise<T>;
}

/** The real prompter: @inquirer/prompts, loaded only when a question is actually asked. */
export function inquirerPrompter(io: IOStreams): Prompter {
  const context = { input: io.stdin, output: io.stderr, clearPromptOnDone: false };
  const load = () => createRequire(import.meta.url)('@inquirer/prompts') as typeof Inquirer;
  return {
    async confirm(message, defaultAnswer = false) {
      const { confirm } = load();
      return confirm({ message, default: defaultAnswer }, context);
    },
    async input(message, options = {}) {
      const { input } = load();
      return input({ message, default: options.defaultValue, validate: options.validate }, context);
    },
    async select(message, choices) {
      const { select } = load();
      return select({ message, choices }, context);
    },
  };
}
