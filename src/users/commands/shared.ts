import type { View } from '../../cli/output.js';

export const userView: View = {
  fields: ['id', 'login', 'name', 'role', 'supervisor', 'createdAt'],
  columns: ['login', 'name', 'role', 'supervisor'],
};

export const roleView: View = {
  fields: ['id', 'name', 'description', 'builtin', 'permissions', 'users'],
  columns: ['name', 'users', 'permissions'],
};
