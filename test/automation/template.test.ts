import { describe, expect, it } from 'vitest';
import { itemFields } from '../../src/automation/condition.js';
import {
  checkTemplate,
  renderTemplate,
  TemplateFieldError,
  templateFields,
} from '../../src/automation/template.js';

describe('action templates', () => {
  it('names each placeholder once, spaces inside the braces allowed', () => {
    expect(templateFields('Hi {{title}}, {{ amount }} {{title}} {{fields.colour}}')).toEqual([
      'title',
      'amount',
      'fields.colour',
    ]);
  });

  it('fills placeholders: lists joined, missing values empty, other text untouched', () => {
    const values: Record<string, unknown> = { title: 'Sofa', phone: ['+441', '+442'], amount: 0 };
    const text = renderTemplate(
      '{{title}}: {{amount}} to {{phone}}{{fields.none}} {x}',
      (f) => values[f],
    );
    expect(text).toBe('Sofa: 0 to +441, +442 {x}');
  });

  it('refuses fields items do not have, naming the parameter', () => {
    expect(() => checkTemplate('text', 'Dear {{titel}}', itemFields)).toThrow(TemplateFieldError);
    expect(() => checkTemplate('text', 'Dear {{titel}}', itemFields)).toThrow(
      /--param text.*titel/,
    );
    expect(() => checkTemplate('text', '{{}}', itemFields)).toThrow(/empty placeholder/);
    expect(() => checkTemplate('text', '{{fields.}}', itemFields)).toThrow(TemplateFieldError);
    expect(() => checkTemplate('text', 'Dear {{title}} {{fields.x}}', itemFields)).not.toThrow();
  });
});
