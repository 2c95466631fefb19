/**
 * Clusters by name: the registry (`$VELA_HOME/clusters.yaml`; join, labels,
 * rename, detach), how each is reached (a kubeconfig context, or an Open
 * Cluster Management hub's ManifestWork), probing them, and the ConfigMap that
 * keeps an app's workflow state in a cluster.
 */
export { LOCAL, joinCluster, labelCluster, renameCluster, detachCluster, type JoinRequest } from './cluster-registry.js';
export { readRegistry, writeRegistry, parseRegistry, registryPaths, type RegisteredCluster, type RegistryDeps } from './registry-file.js';
export { parseLabels, parseLabelKeys, formatLabels, labelKeyProblem, labelValueProblem } from './labels.js';
export { selfContainedKubeconfig } from './copy-kubeconfig.js';
export { probeCluster, DEFAULT_PROBE_TIMEOUT_MS, type ClusterProbe } from './probe.js';
export { listClusters, loadLocalTarget, registeredTarget, type ClusterListing, type ClusterList, type ClusterSource, type ListClustersOptions, type LocalClusterOptions } from './list-clusters.js';
export { clusterDirectory, type ClusterAccess, type ClusterDirectory, type DirectoryOptions } from './cluster-access.js';
export { readManagedCluster, MANAGED_CLUSTER, type ManagedClusterInfo } from './ocm/managed-cluster.js';
export { buildManifestWork, manifestWorkStatus, manifestWorkName, MANIFEST_WORK, type ManifestWorkRequest, type WorkStatus, type WorkPhase } from './ocm/manifest-work.js';
export { listManagedClusters, applyManifestWork, readManifestWork, waitForManifestWork, deleteManifestWork, listManifestWorkApps } from './ocm/ocm-client.js';
export { workflowStateConfigMap, workflowStateName, StoredVersionConflict, type WorkflowStateConfigMap, type StoredText } from './workflow-state.js';
