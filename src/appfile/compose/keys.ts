/**
 * The keys of the Compose Specification, and what vela says about the ones
 * that have no Kubernetes meaning. A key of the spec that vela does not map
 * is a warning at its position (never silence); a key that is not in the
 * spec at all is an error with a did-you-mean, as docker compose does.
 */

export const topLevelKeys = ['version', 'name', 'services', 'networks', 'volumes', 'configs', 'secrets', 'include', 'models'] as const;

/** Service keys vela maps to parameters or traits. */
export const mappedServiceKeys = [
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'expose',
  'deploy',
  'healthcheck',
  'volumes',
  'tmpfs',
  'depends_on',
  'labels',
  'annotations',
  'configs',
  'secrets',
  'restart',
  'profiles',
  'scale',
  'cpus',
  'mem_limit',
  'mem_reservation',
  'pull_policy',
  'extra_hosts',
] as const;

/** Service keys of the spec without a Kubernetes meaning here, with a word on why or what to use instead. */
export const ignoredServiceKeys: Readonly<Record<string, string>> = withoutPrototype({
  attach: '',
  blkio_config: '',
  cap_add: 'use the securitycontext trait in the Appfile to change capabilities',
  cap_drop: 'use the securitycontext trait in the Appfile to change capabilities',
  cgroup: '',
  cgroup_parent: '',
  container_name: 'pods get generated names; other services reach this one by its service name',
  cpu_count: 'use deploy.resources.limits.cpus',
  cpu_percent: 'use deploy.resources.limits.cpus',
  cpu_period: 'use deploy.resources.limits.cpus',
  cpu_quota: 'use deploy.resources.limits.cpus',
  cpu_rt_period: '',
  cpu_rt_runtime: '',
  cpu_shares: 'use deploy.resources.reservations.cpus',
  cpuset: '',
  credential_spec: '',
  develop: 'watch mode is a docker compose feature',
  device_cgroup_rules: '',
  devices: 'pods cannot use host devices without a device plugin',
  dns: 'the cluster DNS resolves service names',
  dns_opt: 'the cluster DNS resolves service names',
  dns_search: 'the cluster DNS resolves service names',
  domainname: '',
  driver_opts: '',
  external_links: 'services reach each other by name through their Services',
  gpus: 'request GPUs through a device plugin resource',
  group_add: 'use the securitycontext trait in the Appfile',
  hostname: 'pods get generated names; other services reach this one by its service name',
  init: '',
  ipc: '',
  isolation: '',
  label_file: '',
  links: 'services reach each other by name through their Services',
  logging: 'the cluster collects container output',
  mac_address: '',
  mem_swappiness: '',
  memswap_limit: '',
  network_mode: 'every pod can reach the Services of its namespace',
  networks: 'every pod can reach the Services of its namespace',
  oom_kill_disable: '',
  oom_score_adj: '',
  pid: '',
  pids_limit: '',
  platform: 'the node pulls the image for its own platform',
  post_start: '',
  pre_stop: '',
  privileged: 'use the securitycontext trait in the Appfile',
  provider: '',
  read_only: 'use the securitycontext trait in the Appfile',
  runtime: '',
  security_opt: 'use the securitycontext trait in the Appfile',
  shm_size: 'mount an emptyDir with medium Memory at /dev/shm',
  stdin_open: 'pods run without an attached terminal; use `kubectl attach -it` if needed',
  stop_grace_period: '',
  stop_signal: '',
  storage_opt: '',
  sysctls: '',
  tty: 'pods run without an attached terminal; use `kubectl attach -it` if needed',
  ulimits: '',
  use_api_socket: '',
  user: 'use the securitycontext trait in the Appfile (runAsUser)',
  userns_mode: '',
  uts: '',
  volumes_from: 'share a named volume instead',
  working_dir: 'set the working folder in the image (WORKDIR)',
  models: '',
});

/** Service keys that change what the service is: ignoring them would deploy something else. */
export const refusedServiceKeys: Readonly<Record<string, string>> = withoutPrototype({
  extends: 'write the settings of the extended service into this one',
});

/** Tables looked up by the user's keys: `constructor` must not find Object's. */
function withoutPrototype<T>(o: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, o);
}

export const allServiceKeys: readonly string[] = [...mappedServiceKeys, ...Object.keys(ignoredServiceKeys), ...Object.keys(refusedServiceKeys)];

export const deployKeys = ['mode', 'replicas', 'resources', 'restart_policy', 'labels', 'placement', 'update_config', 'rollback_config', 'endpoint_mode'] as const;

export const buildKeys = ['context', 'dockerfile', 'args', 'target', 'dockerfile_inline', 'cache_from', 'cache_to', 'extra_hosts', 'isolation', 'labels', 'network', 'no_cache', 'platforms', 'pull', 'secrets', 'shm_size', 'ssh', 'tags', 'ulimits', 'additional_contexts', 'privileged', 'entitlements'] as const;

export const healthcheckKeys = ['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'] as const;

export const volumeKeys = ['driver', 'driver_opts', 'external', 'labels', 'name'] as const;

export const configKeys = ['file', 'content', 'environment', 'external', 'name', 'labels', 'template_driver', 'driver', 'driver_opts'] as const;
