/** The permission catalogue of DESIGN §7. Roles are sets of these. */
export const permissionCatalogue = {
  'items.view': 'see leads, deals and other items, contacts, companies and their history',
  'items.edit': 'create, change and move items, contacts and companies',
  'items.delete': 'delete items to the recycle bin',
  'pipelines.edit': 'add, rename and remove entity types, pipelines and stages',
  'automation.edit': 'add, change and remove automation rules and triggers',
  'exceptions.view': 'see the exceptions list',
  'exceptions.edit': 'add to, import into and remove from the exceptions list',
  'telephony.settings': 'manage the telephony blacklist and call settings',
  'bin.manage': 'see and restore everything in the recycle bin',
  'bin.purge': 'purge the recycle bin and delete permanently',
  'users.manage': 'add and change users, roles and store-wide settings',
} as const;

export type Permission = keyof typeof permissionCatalogue;

export const allPermissions = Object.keys(permissionCatalogue) as Permission[];

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(permissionCatalogue, name);
}

export const builtinRoles: { name: string; description: string; permissions: Permission[] }[] = [
  { name: 'admin', description: 'everything', permissions: allPermissions },
  {
    name: 'supervisor',
    description: 'runs a team: edits items, pipelines, automation and the exceptions list',
    permissions: [
      'items.view',
      'items.edit',
      'items.delete',
      'pipelines.edit',
      'automation.edit',
      'exceptions.view',
      'exceptions.edit',
      'bin.manage',
    ],
  },
  {
    name: 'employee',
    description: 'works items; may see the exceptions list',
    permissions: ['items.view', 'items.edit', 'items.delete', 'exceptions.view'],
  },
];
