import { GROUP } from '@headland/api';
test('group', () => { expect(GROUP).toBe('headland.io'); });
