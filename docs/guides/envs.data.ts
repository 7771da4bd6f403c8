// Build-time data loader: the environments registered by the installed @proximal/envs, so the
// table in "Writing an environment" always matches the code it documents.
import { defineLoader } from 'vitepress';

export interface EnvRow {
  id: string;
  observation: string;
  action: string;
  maxEpisodeSteps: number | null;
  rewardThreshold: number | null;
}

declare const data: EnvRow[];

export { data };

export default defineLoader({
  async load(): Promise<EnvRow[]> {
    const envs = await import('@proximal/envs');
    return envs.registeredIds().map((id) => {
      const s = envs.spec(id);
      const env = envs.make(id, { disableEnvChecker: true });
      const row: EnvRow = {
        id,
        observation: String(env.observationSpace),
        action: String(env.actionSpace),
        maxEpisodeSteps: s.maxEpisodeSteps ?? null,
        rewardThreshold: s.rewardThreshold ?? null,
      };
      env.close();
      return row;
    });
  },
});
