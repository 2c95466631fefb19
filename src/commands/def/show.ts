import Show from '../show.js';

/** `vela def show NAME`: the parameter reference, as `vela show` prints it. */
export default class DefShow extends Show {
  static override summary = 'Show the parameters of a component type or trait (the same as vela show).';
  static override examples = ['<%= config.bin %> def show webservice', { description: 'As Markdown', command: '<%= config.bin %> def show gateway --format markdown' }];
}
