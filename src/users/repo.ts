import { statement } from '../store/sql.js';
import type { Database } from '../store/store.js';

/** A user with the login of their supervisor. */
export interface UserRow {
  id: number;
  login: string;
  name: string;
  role: string;
  supervisor: string | null;
  createdAt: string;
}

export interface RoleRow {
  id: number;
  name: string;
  description: string;
  builtin: number;
  permissions: string | null;
  users: number;
}

const userSelect = `
  SELECT u.id, u.login, u.name, u.role, s.login AS supervisor, u.created_at AS createdAt
  FROM users u LEFT JOIN users s ON s.id = u.supervisor_id`;

/** Users in login order, read lazily. */
export function* iterateUsers(
  db: Database,
  paging: { limit?: number; offset?: number },
): Generator<UserRow> {
  yield* db
    .prepare(`${userSelect} ORDER BY u.login LIMIT ? OFFSET ?`)
    .iterate(paging.limit ?? -1, paging.offset ?? 0) as IterableIterator<UserRow>;
}

export function countUsers(db: Database): number {
  return statement(db, 'SELECT count(*) FROM users').pluck().get() as number;
}

export function selectUserByLogin(db: Database, login: string): UserRow | undefined {
  return statement(db, `${userSelect} WHERE u.login = ?`).get(login) as UserRow | undefined;
}

export function insertUser(
  db: Database,
  user: {
    login: string;
    name: string;
    role: string;
    supervisorId: number | null;
    createdAt: string;
  },
): number {
  const result = statement(
    db,
    'INSERT INTO users (login, name, role, supervisor_id, created_at) VALUES (?, ?, ?, ?, ?)',
  ).run(user.login, user.name, user.role, user.supervisorId, user.createdAt);
  return Number(result.lastInsertRowid);
}

export function updateUserRole(db: Database, id: number, role: string): void {
  statement(db, 'UPDATE users SET role = ? WHERE id = ?').run(role, id);
}

export function deleteUser(db: Database, id: number): void {
  statement(db, 'DELETE FROM users WHERE id = ?').run(id);
}

export function countUsersWithPermission(db: Database, permission: string): number {
  const row = statement(
    db,
    `SELECT count(*) AS n FROM users u
       JOIN role_permissions p ON p.role = u.role AND p.permission = ?`,
  ).get(permission) as { n: number };
  return row.n;
}

export function selectPermissionsOfLogin(db: Database, login: string): string[] | undefined {
  const user = statement(db, 'SELECT role FROM users WHERE login = ?').get(login) as
    | { role: string }
    | undefined;
  if (!user) return undefined;
  const rows = statement(db, 'SELECT permission FROM role_permissions WHERE role = ?')
    .pluck()
    .all(user.role) as string[];
  return rows;
}

const roleSelect = `
  SELECT r.id, r.name, r.description, r.builtin,
    (SELECT group_concat(permission, ',') FROM
      (SELECT permission FROM role_permissions p WHERE p.role = r.name ORDER BY permission)) AS permissions,
    (SELECT count(*) FROM users u WHERE u.role = r.name) AS users
  FROM roles r`;

export function selectRoles(db: Database): RoleRow[] {
  return statement(db, `${roleSelect} ORDER BY r.builtin DESC, r.name`).all() as RoleRow[];
}

export function selectRole(db: Database, name: string): RoleRow | undefined {
  return statement(db, `${roleSelect} WHERE r.name = ?`).get(name) as RoleRow | undefined;
}

export function insertRole(
  db: Database,
  role: { name: string; description: string; builtin: boolean; permissions: string[] },
): number {
  const result = statement(
    db,
    'INSERT INTO roles (name, description, builtin) VALUES (?, ?, ?)',
  ).run(role.name, role.description, role.builtin ? 1 : 0);
  const grant = statement(db, 'INSERT INTO role_permissions (role, permission) VALUES (?, ?)');
  for (const permission of role.permissions) grant.run(role.name, permission);
  return Number(result.lastInsertRowid);
}

export function deleteRole(db: Database, name: string): void {
  statement(db, 'DELETE FROM roles WHERE name = ?').run(name);
}
