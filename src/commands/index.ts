/**
 * Every vela command, for oclif's explicit command discovery (package.json
 * `oclif.commands`: target dist/bundle/vela.js, which re-exports COMMANDS; see entry.ts).
 * Keys use `:`; help shows them with spaces. Command modules are light: they
 * load the engine and other heavy modules inside `run()`.
 */
import AddonDisable from './addon/disable.js';
import AddonEnable from './addon/enable.js';
import AddonList from './addon/list.js';
import AddonRegistryAdd from './addon/registry/add.js';
import AddonRegistryList from './addon/registry/list.js';
import AddonRegistryRemove from './addon/registry/remove.js';
import AddonStatus from './addon/status.js';
import AddonUpgrade from './addon/upgrade.js';
import CueExport from './cue/export.js';
import DefApply from './def/apply.js';
import DefDelete from './def/delete.js';
import DefGet from './def/get.js';
import DefInit from './def/init.js';
import DefInstall from './def/install.js';
import DefList from './def/list.js';
import DefRender from './def/render.js';
import DefShow from './def/show.js';
import DefSync from './def/sync.js';
import DefUninstall from './def/uninstall.js';
import DefVet from './def/vet.js';
import CueVet from './cue/vet.js';
import Build from './build.js';
import CanaryAbort from './canary/abort.js';
import CanaryPromote from './canary/promote.js';
import CanaryStatus from './canary/status.js';
import Complete from './complete.js';
import Completion from './completion.js';
import Components from './components.js';
import Convert from './convert.js';
import Dashboard from './dashboard.js';
import DryRun from './dry-run.js';
import Init from './init.js';
import Show from './show.js';
import Traits from './traits.js';
import Up from './up.js';
import Version from './version.js';
import Dev from './dev.js';
import Delete from './delete.js';
import Diff from './diff.js';
import EnvDelete from './env/delete.js';
import EnvInit from './env/init.js';
import EnvLs from './env/ls.js';
import EnvSet from './env/set.js';
import Exec from './exec.js';
import Export from './export.js';
import Logs from './logs.js';
import Ls from './ls.js';
import PortForward from './port-forward.js';
import Status from './status.js';
import ClusterDetach from './cluster/detach.js';
import ClusterJoin from './cluster/join.js';
import ClusterLabelsAdd from './cluster/labels/add.js';
import ClusterLabelsDel from './cluster/labels/del.js';
import ClusterList from './cluster/list.js';
import ClusterRename from './cluster/rename.js';
import WorkflowRestart from './workflow/restart.js';
import WorkflowResume from './workflow/resume.js';
import WorkflowStatus from './workflow/status.js';
import WorkflowTerminate from './workflow/terminate.js';

export const COMMANDS = {
  'addon:disable': AddonDisable,
  'addon:enable': AddonEnable,
  'addon:list': AddonList,
  'addon:registry:add': AddonRegistryAdd,
  'addon:registry:list': AddonRegistryList,
  'addon:registry:remove': AddonRegistryRemove,
  'addon:status': AddonStatus,
  'addon:upgrade': AddonUpgrade,
  'cue:export': CueExport,
  'def:apply': DefApply,
  'def:delete': DefDelete,
  'def:get': DefGet,
  'def:init': DefInit,
  'def:install': DefInstall,
  'def:list': DefList,
  'def:render': DefRender,
  'def:show': DefShow,
  'def:sync': DefSync,
  'def:uninstall': DefUninstall,
  'def:vet': DefVet,
  'cue:vet': CueVet,
  build: Build,
  'canary:abort': CanaryAbort,
  'canary:promote': CanaryPromote,
  'canary:status': CanaryStatus,
  complete: Complete,
  completion: Completion,
  components: Components,
  convert: Convert,
  dashboard: Dashboard,
  'dry-run': DryRun,
  init: Init,
  show: Show,
  traits: Traits,
  up: Up,
  version: Version,
  dev: Dev,
  delete: Delete,
  diff: Diff,
  'env:delete': EnvDelete,
  'env:init': EnvInit,
  'env:ls': EnvLs,
  'env:set': EnvSet,
  exec: Exec,
  export: Export,
  logs: Logs,
  ls: Ls,
  'port-forward': PortForward,
  status: Status,
  'cluster:detach': ClusterDetach,
  'cluster:join': ClusterJoin,
  'cluster:labels:add': ClusterLabelsAdd,
  'cluster:labels:del': ClusterLabelsDel,
  'cluster:list': ClusterList,
  'cluster:rename': ClusterRename,
  'workflow:restart': WorkflowRestart,
  'workflow:resume': WorkflowResume,
  'workflow:status': WorkflowStatus,
  'workflow:terminate': WorkflowTerminate,
};
