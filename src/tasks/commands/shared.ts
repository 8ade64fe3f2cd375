import type { View } from '../../cli/output.js';

export const taskView: View = {
  fields: [
    'id',
    'title',
    'assignee',
    'deadline',
    'itemId',
    'stageId',
    'ruleId',
    'status',
    'createdAt',
    'createdBy',
    'completedAt',
    'completedBy',
  ],
  columns: ['id', 'status', 'title', 'assignee', 'deadline', 'itemId', 'ruleId'],
};
