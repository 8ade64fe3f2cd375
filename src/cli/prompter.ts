import { createRequire } from 'node:module';
import type * as Inquirer from '@inquirer/prompts';
import type * as Chalk from 'chalk';
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

const require = createRequire(import.meta.url);

/**
 * The real prompter: @inquirer/prompts, loaded only when a question is actually asked, drawn
 * on stderr in colour only when `colour` says so (--no-color, NO_COLOR, TERM=dumb, a terminal).
 */
export function inquirerPrompter(io: IOStreams, colour: boolean): Prompter {
  const context = { input: io.stdin, output: io.stderr, clearPromptOnDone: false };
  const load = () => require('@inquirer/prompts') as typeof Inquirer;
  const theme = () => promptTheme(colour);
  return {
    async confirm(message, defaultAnswer = false) {
      const { confirm } = load();
      return confirm({ message, default: defaultAnswer, theme: theme() }, context);
    },
    async input(message, options = {}) {
      const { input } = load();
      return input(
        {
          message,
          default: options.defaultValue,
          validate: options.validate,
          theme: theme(),
        },
        context,
      );
    },
    async select(message, choices) {
      const { select } = load();
      return select({ message, choices, theme: theme() }, context);
    },
  };
}

/**
 * Inquirer's own theme colours with node:util's styleText, which looks at process.stdout and the
 * environment only: this one paints what every prompt draws with a chalk of our choosing.
 */
export function promptTheme(colour: boolean) {
  const { Chalk: ChalkClass } = require('chalk') as typeof Chalk;
  const c = new ChalkClass({ level: colour ? 1 : 0 });
  return {
    prefix: { idle: c.blue('?'), done: c.green('✔') },
    spinner: {
      interval: 80,
      frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'].map((frame) => c.yellow(frame)),
    },
    style: {
      answer: (text: string) => c.cyan(text),
      message: (text: string) => c.bold(text),
      error: (text: string) => c.red(`> ${text}`),
      defaultAnswer: (text: string) => c.dim(`(${text})`),
      help: (text: string) => c.dim(text),
      highlight: (text: string) => c.cyan(text),
      key: (text: string) => c.cyan(c.bold(`<${text}>`)),
      // confirm
      confirmDefault: (text: string) => {
        const first = text[0] ?? '';
        return first.toLowerCase() === first.toUpperCase()
          ? c.cyan(text)
          : first.toUpperCase() + text.slice(1);
      },
      // select
      disabled: (text: string) => c.dim(text),
      description: (text: string) => c.cyan(text),
      keysHelpTip: (keys: [string, string][]) =>
        keys.map(([key, action]) => `${c.bold(key)} ${c.dim(action)}`).join(c.dim(' • ')),
    },
  };
}
