// TypeDoc plugin: drops namespaces re-exported from third-party packages (e.g. `tf` from
// @tensorflow/tfjs in @proximal/algorithms), which would otherwise add ~1,400 pages of
// TensorFlow.js documentation to the API reference. Their own docs are linked instead.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const reflection of project.getReflectionsByKind(ReflectionKind.Namespace)) {
      const external = reflection.sources?.length
        ? reflection.sources.every((s) => s.fullFileName.includes('/node_modules/'))
        : false;
      if (external) {
        app.logger.verbose(`hide-externals: removing namespace ${reflection.getFullName()}`);
        project.removeReflection(reflection);
      }
    }
  });
}
