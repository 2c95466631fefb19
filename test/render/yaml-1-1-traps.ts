/** Strings a YAML 1.1 reader takes for a boolean, number, null, date or merge key (for yaml-1-1*.test.ts). */
export const YAML_11_TRAPS = [
  'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '~', 'null', 'Null', 'NULL', '',
  '0777', '0o17', '0x1F', '0b101', '1_000', '0x_1F', '+12', '-0', '012',
  '.5', '1.', '+.5', '1e3', '1.5e+3', '1e-3', '1_0.5',
  '1:30', '-1:30', '190:20:30', '190:20:30.15',
  '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN',
  '2001-12-14', '2001-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5',
  '<<', '=',
];
