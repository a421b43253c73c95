export const GROUP = 'headland.io';
