import type { Command } from '@commander-js/extra-typings';
import type { Context } from './context.js';

/** Adds one top-level command (with its subcommands) to the program. */
export type Registrar = (program: Command, ctx: Context) => void;

export interface CommandModule {
  commands: Record<string, Registrar>;
}

/**
 * The top-level commands, in the order `crmctl --help` lists them, and where each lives.
 * Only the module of the command being run is loaded, which keeps start-up fast.
 */
export const commandRegistry: { name: string; load: () => Promise<CommandModule> }[] = [
  { name: 'init', load: () => import('../setup/commands.js') },
  { name: 'demo', load: () => import('../demo/commands.js') },
  { name: 'item', load: () => import('../items/commands.js') },
  { name: 'contact', load: () => import('../contacts/commands.js') },
  { name: 'company', load: () => import('../contacts/commands.js') },
  { name: 'pipeline', load: () => import('../pipelines/commands.js') },
  { name: 'stage', load: () => import('../pipelines/commands.js') },
  { name: 'type', load: () => import('../pipelines/commands.js') },
  { name: 'rule', load: () => import('../automation/commands.js') },
  { name: 'trigger', load: () => import('../automation/commands.js') },
  { name: 'event', load: () => import('../automation/commands.js') },
  { name: 'automation', load: () => import('../automation/commands.js') },
  { name: 'exceptions', load: () => import('../exceptions/commands.js') },
  { name: 'blacklist', load: () => import('../telephony/commands.js') },
  { name: 'call', load: () => import('../telephony/commands.js') },
  { name: 'outbox', load: () => import('../outbox/commands.js') },
  { name: 'task', load: () => import('../tasks/commands.js') },
  { name: 'document', load: () => import('../documents/commands.js') },
  { name: 'notification', load: () => import('../notifications/commands.js') },
  { name: 'recycle-bin', load: () => import('../bin/commands.js') },
  { name: 'cleanup', load: () => import('../cleanup/commands.js') },
  { name: 'email', load: () => import('../inbound/commands.js') },
  { name: 'chat', load: () => import('../inbound/commands.js') },
  { name: 'form', load: () => import('../inbound/commands.js') },
  { name: 'history', load: () => import('../history/commands.js') },
  { name: 'operation', load: () => import('../operations/commands.js') },
  { name: 'undo', load: () => import('../undo/commands.js') },
  { name: 'user', load: () => import('../users/commands.js') },
  { name: 'role', load: () => import('../users/commands.js') },
  { name: 'settings', load: () => import('../settings/commands.js') },
  { name: 'db', load: () => import('../store/commands.js') },
  { name: 'help', load: () => import('./help.js') },
  { name: 'completion', load: () => import('./completion.js') },
];

/** Global options that take a value, so the command name can be found after them. */
const globalOptionsWithValue = new Set(['--db', '--as', '--now', '--wait']);

/** The registry entries needed to run `argv`: the named command's, or all of them. */
export function entriesFor(argv: string[]) {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (globalOptionsWithValue.has(arg)) i++;
      continue;
    }
    words.push(arg);
  }
  const [first, second] = words;
  const wanted = first === 'help' && second ? second : first;
  const entry = commandRegistry.find((e) => e.name === wanted);
  if (!entry || wanted === 'completion') return commandRegistry;
  return first === 'help'
    ? commandRegistry.filter((e) => e === entry || e.name === 'help')
    : [entry];
}

export async function registerCommands(program: Command, ctx: Context, argv: string[]) {
  const entries = entriesFor(argv);
  const modules = await Promise.all(entries.map((e) => e.load()));
  entries.forEach((entry, i) => {
    const register = modules[i]?.commands[entry.name];
    if (!register) throw new Error(`module for "${entry.name}" does not register it`);
    register(program, ctx);
  });
  summarise(program);
}

/**
 * Descriptions are written as wrapped source lines: join them into one paragraph for commander
 * to wrap to the terminal, and give each command a summary for command lists (its first sentence).
 */
function summarise(command: Command): void {
  for (const sub of command.commands as Command[]) {
    const description = sub.description().replace(/\s*\n\s*/g, ' ');
    sub.description(description);
    if (!sub.summary()) sub.summary(description.split(/\.\s/)[0]?.replace(/\.$/, '') ?? '');
    summarise(sub);
  }
}
