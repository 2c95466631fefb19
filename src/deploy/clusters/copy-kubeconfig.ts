/**
 * `vela cluster join --copy`: one context of a kubeconfig as a file of its
 * own, made self-contained — certificate and key files it refers to are read
 * and inlined (`*-data`), so the copy keeps working when the original files
 * move. Exec and auth-provider plugins are copied as they are (they name a
 * program, not a secret). The caller writes it with mode 0600.
 */
import { clientNode } from '../client-node.js';
import { EnvironmentError, nodeFileSystem, type FileSystem } from '../../host/index.js';
import type { ClusterTarget } from '../kubeconfig.js';

export async function selfContainedKubeconfig(target: ClusterTarget, contextName: string, fs: FileSystem = nodeFileSystem): Promise<string> {
  const config = target.kubeConfig;
  const context = config.getContextObject(target.context);
  const cluster = config.getCurrentCluster();
  const user = config.getCurrentUser();
  if (!context || !cluster) throw new EnvironmentError(`context "${target.context}" names no cluster`, { code: 'kube/context' });
  const inline = async (file: string | undefined, what: string): Promise<string | undefined> => {
    if (!file) return undefined;
    try {
      return (await fs.readBytes(file)).toString('base64');
    } catch (err) {
      throw new EnvironmentError(`cannot read the ${what} ${file} of context "${target.context}": ${(err as Error).message}`, { code: 'kube/kubeconfig', cause: err });
    }
  };
  const caData = cluster.caData ?? (await inline(cluster.caFile, 'certificate authority'));
  const certData = user?.certData ?? (await inline(user?.certFile, 'client certificate'));
  const keyData = user?.keyData ?? (await inline(user?.keyFile, 'client key'));
  const { KubeConfig } = await clientNode();
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: [{ name: contextName, server: cluster.server, skipTLSVerify: cluster.skipTLSVerify, ...(caData ? { caData } : {}), ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}), ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}) }],
    users: [
      {
        name: contextName,
        ...(certData ? { certData } : {}),
        ...(keyData ? { keyData } : {}),
        ...(user?.token ? { token: user.token } : {}),
        ...(user?.username ? { username: user.username } : {}),
        ...(user?.password ? { password: user.password } : {}),
        ...(user?.exec ? { exec: user.exec } : {}),
        ...(user?.authProvider ? { authProvider: user.authProvider } : {}),
        ...(user?.impersonateUser ? { impersonateUser: user.impersonateUser } : {}),
      },
    ],
    contexts: [{ name: contextName, cluster: contextName, user: contextName, ...(context.namespace ? { namespace: context.namespace } : {}) }],
    currentContext: contextName,
  });
  return `${copy.exportConfig()}\n`;
}
