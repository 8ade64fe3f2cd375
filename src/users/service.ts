import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError, PermissionError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { afterOffset, type Listing, listingOf, type Paging } from '../listing.js';
import { type Cause, nowIso, Session, systemLogin } from '../session.js';
import type { Database, Store } from '../store/store.js';
import { checkDisplayText } from '../text.js';
import { builtinRoles, isPermission, type Permission, permissionCatalogue } from './permissions.js';
import {
  countUsers,
  countUsersWithPermission,
  deleteRole,
  deleteUser,
  insertRole,
  insertUser,
  iterateUsers,
  type RoleRow,
  selectPermissionsOfLogin,
  selectRole,
  selectRoles,
  selectUserByLogin,
  type UserRow,
  updateUserRole,
} from './repo.js';

/** A user, with the login of their supervisor. */
export type User = UserRow;

export interface Role {
  id: number;
  name: string;
  description: string;
  builtin: boolean;
  permissions: string[];
  users: number;
}

function toRole(row: RoleRow): Role {
  return {
    ...row,
    builtin: row.builtin === 1,
    permissions: row.permissions ? row.permissions.split(',') : [],
  };
}

/**
 * Checks that `login` may use `permission` (or, with none, that it is a known user). No login
 * skips the check: the automation acts through a session made in code (actAsSystem), never
 * through a login given on a command line.
 */
export function authorize(session: Session, permission?: Permission): void {
  const { login } = session.actor;
  const permissions = selectPermissionsOfLogin(session.db, login);
  if (!permissions) {
    throw new PermissionError(
      `unknown user "${login}": ask an admin to run 'crmctl user add ${login} --role employee', or act as another user with --as`,
      permission ?? null,
    );
  }
  if (permission && !permissions.includes(permission)) {
    throw new PermissionError(
      `permission denied: "${login}" lacks ${permission} (${permissionCatalogue[permission]})`,
      permission,
    );
  }
}

/** Whether the session's user holds `permission` (the automation holds every one). */
export function mayUse(session: Session, permission: Permission): boolean {
  if (session.actor.login === systemLogin) return true;
  return selectPermissionsOfLogin(session.db, session.actor.login)?.includes(permission) ?? false;
}

/**
 * A session acting as the automation itself (rules, triggers, scheduled jobs), which needs no
 * permission. Only code makes one: no option or environment variable leads here.
 */
export function actAsSystem(
  store: Store,
  clock: Clock,
  cause: Cause = { kind: 'system', id: null },
  command: string | null = null,
): Session {
  return new Session({ store, clock, actor: { login: systemLogin, cause, command } });
}

/** Creates the built-in roles; part of setting up a new store. */
export function createBuiltinRoles(session: Session): void {
  for (const role of builtinRoles) insertRole(session.db, { ...role, builtin: true });
}

const loginPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export interface AddUserOptions {
  login: string;
  name?: string;
  role: string;
  supervisor?: string;
}

export function addUser(session: Session, options: AddUserOptions): User {
  const { db } = session;
  if (!loginPattern.test(options.login) || options.login.toLowerCase() === systemLogin) {
    throw new UsageError(
      `"${options.login}" is not a usable login: letters, digits, '.', '_', '@' and '-', at most 64, not "${systemLogin}"`,
    );
  }
  const name = checkDisplayText(options.name ?? options.login, 'a user name', { min: 1, max: 200 });
  session.requireWrite();
  if (selectUserByLogin(db, options.login)) {
    throw new ConflictError(`user "${options.login}" already exists`);
  }
  requireRole(db, options.role);
  const supervisor = options.supervisor ? requireUserRow(db, options.supervisor) : undefined;
  const id = insertUser(db, {
    login: options.login,
    name,
    role: options.role,
    supervisorId: supervisor?.id ?? null,
    createdAt: nowIso(session),
  });
  recordChange(session, {
    action: 'created',
    entity: { type: 'user', id },
    changes: { login: options.login, role: options.role, supervisor: supervisor?.login ?? null },
  });
  return getUser(session, options.login);
}

export function listUsers(session: Session, paging: Paging = {}): Listing<User> {
  const { db } = session;
  return {
    rows: iterateUsers(db, paging),
    limited: paging.limit !== undefined,
    total: () => afterOffset(countUsers(db), paging.offset),
  };
}

export function getUser(session: Session, login: string): User {
  return requireUserRow(session.db, login);
}

/** The id of a user given by login, for features that link records to users. */
export function userIdOf(session: Session, login: string): number {
  return requireUserRow(session.db, login).id;
}

export function setUserRole(session: Session, login: string, role: string): User {
  const { db } = session;
  session.requireWrite();
  const user = requireUserRow(db, login);
  requireRole(db, role);
  if (user.role === role) return user;
  updateUserRole(db, user.id, role);
  if (countUsersWithPermission(db, 'users.manage') === 0) {
    throw new ConflictError(`"${login}" is the last user who can manage users: keep one admin`);
  }
  recordChange(session, {
    action: 'role-changed',
    entity: { type: 'user', id: user.id },
    changes: { role: { from: user.role, to: role } },
  });
  return getUser(session, login);
}

export function removeUser(session: Session, login: string): User {
  const { db } = session;
  session.requireWrite();
  const user = requireUserRow(db, login);
  deleteUser(db, user.id);
  if (countUsersWithPermission(db, 'users.manage') === 0) {
    throw new ConflictError(`"${login}" is the last user who can manage users: keep one admin`);
  }
  recordChange(session, {
    action: 'deleted',
    entity: { type: 'user', id: user.id },
    changes: { login: user.login, role: user.role },
  });
  return user;
}

export function listRoles(session: Session, paging: Paging = {}): Listing<Role> {
  return listingOf(selectRoles(session.db).map(toRole), paging);
}

export function getRole(session: Session, name: string): Role {
  return toRole(requireRole(session.db, name));
}

export interface AddRoleOptions {
  name: string;
  description?: string;
  permissions: string[];
}

export function addRole(session: Session, options: AddRoleOptions): Role {
  const { db } = session;
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(options.name)) {
    throw new UsageError(
      `"${options.name}" is not a usable role name: lower-case letters, digits and '-', starting with a letter`,
    );
  }
  const description = checkDisplayText(options.description ?? '', 'a role description', {
    min: 0,
    max: 200,
  });
  const unknown = options.permissions.filter((p) => !isPermission(p));
  if (unknown.length) {
    throw new UsageError(
      `unknown permission ${unknown.map((p) => `"${p}"`).join(', ')}; known: ${Object.keys(permissionCatalogue).join(', ')}`,
    );
  }
  session.requireWrite();
  if (selectRole(db, options.name))
    throw new ConflictError(`role "${options.name}" already exists`);
  const id = insertRole(db, {
    name: options.name,
    description,
    builtin: false,
    permissions: [...new Set(options.permissions)],
  });
  recordChange(session, {
    action: 'created',
    entity: { type: 'role', id },
    changes: { name: options.name, permissions: options.permissions },
  });
  return getRole(session, options.name);
}

export function removeRole(session: Session, name: string): Role {
  const { db } = session;
  session.requireWrite();
  const role = toRole(requireRole(db, name));
  if (role.builtin) throw new ConflictError(`"${role.name}" is a built-in role and stays`);
  if (role.users > 0) {
    throw new ConflictError(
      `role "${role.name}" is held by ${role.users} user(s): give them another role first (crmctl user set-role)`,
    );
  }
  deleteRole(db, role.name);
  recordChange(session, {
    action: 'deleted',
    entity: { type: 'role', id: role.id },
    changes: { name: role.name },
  });
  return role;
}

function requireUserRow(db: Database, login: string): UserRow {
  const user = selectUserByLogin(db, login);
  if (!user) throw new NotFoundError(`no user "${login}" (see crmctl user list)`);
  return user;
}

function requireRole(db: Database, name: string): RoleRow {
  const role = selectRole(db, name);
  if (!role) {
    const known = selectRoles(db)
      .map((r) => r.name)
      .join(', ');
    throw new NotFoundError(`no role "${name}"; roles: ${known}`);
  }
  return role;
}
