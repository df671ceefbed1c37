import { actionLabel, ACTION_LABELS } from './transitions';

describe('actionLabel', () => {
  it('calls withdrawing a draft "Delete draft", and every other action by its label', () => {
    expect(actionLabel('withdraw', 'draft')).toBe('Delete draft');
    expect(actionLabel('withdraw', 'submitted')).toBe(ACTION_LABELS.withdraw);
    expect(actionLabel('submit', 'draft')).toBe(ACTION_LABELS.submit);
  });
});
