/**
 * `spaceFromJSON`: rebuilds any space from its `toJSON()` form.
 */
import { formatValue } from '../utils/format.js';
import { Box, type BoxJSON } from './box.js';
import { Dict, type DictJSON } from './dict.js';
import { Discrete, type DiscreteJSON } from './discrete.js';
import { MultiBinary, type MultiBinaryJSON } from './multi-binary.js';
import { MultiDiscrete, type MultiDiscreteJSON } from './multi-discrete.js';
import type { Space } from './space.js';
import { Tuple, type TupleJSON } from './tuple.js';

/**
 * Rebuilds a space from its JSON form, dispatching on `json.type` (`Box`, `Discrete`,
 * `MultiDiscrete`, `MultiBinary`, `Dict`, `Tuple`; composite spaces recursively).
 * @throws TypeError for an unknown `type`; the errors of the space's `fromJSON`.
 */
export function spaceFromJSON(json: unknown): Space<unknown> {
  const type = (json as { type?: unknown } | null)?.type;
  switch (type) {
    case 'Box':
      return Box.fromJSON(json as BoxJSON);
    case 'Discrete':
      return Discrete.fromJSON(json as DiscreteJSON);
    case 'MultiDiscrete':
      return MultiDiscrete.fromJSON(json as MultiDiscreteJSON);
    case 'MultiBinary':
      return MultiBinary.fromJSON(json as MultiBinaryJSON);
    case 'Dict':
      return Dict.fromJSON(json as DictJSON);
    case 'Tuple':
      return Tuple.fromJSON(json as TupleJSON);
    default:
      throw new TypeError(`spaceFromJSON: unknown space type ${formatValue(type)}`);
  }
}
