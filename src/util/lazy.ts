// Properties made when first read. Their getter and setter are shared by every object that has the
// property: accessors made per object (closures) give each object a hidden class of its own, and
// code that reads thousands of such objects (a repository's modules, their go.sum parses) then goes
// through V8's slowest property look-ups everywhere. What differs per object lives in a WeakMap.

/** The state of one object's lazy property. */
interface Slot {
  made: boolean;
  value: unknown;
  make: () => unknown;
  onSet: (() => void) | undefined;
}

/** Per property name: each object's slot, and the one descriptor every object is given. */
const properties = new Map<string, { slots: WeakMap<object, Slot>; descriptor: PropertyDescriptor }>();

function propertyOf(key: string): { slots: WeakMap<object, Slot>; descriptor: PropertyDescriptor } {
  let p = properties.get(key);
  if (p === undefined) {
    const slots = new WeakMap<object, Slot>();
    const descriptor: PropertyDescriptor = {
      enumerable: true,
      configurable: true,
      get(this: object): unknown {
        const s = slots.get(this);
        if (s === undefined) return undefined;
        if (!s.made) {
          s.made = true;
          s.value = s.make();
        }
        return s.value;
      },
      set(this: object, value: unknown): void {
        const s = slots.get(this);
        if (s === undefined) {
          // An object that inherits the property (none is made so): a plain one of its own.
          Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
          return;
        }
        s.made = true;
        s.value = value;
        s.onSet?.();
      },
    };
    properties.set(key, (p = { slots, descriptor }));
  }
  return p;
}

/**
 * defineLazy gives `o` the property `key`, whose value `make` makes when it is first read; a value
 * assigned before that is kept instead (and `onSet` told). Objects given the same properties in the
 * same order keep one hidden class. Define the property on an object that does not have it yet:
 * turning a property an object has into an accessor makes the object a dictionary.
 */
export function defineLazy(o: object, key: string, make: () => unknown, onSet?: () => void): void {
  const p = propertyOf(key);
  p.slots.set(o, { made: false, value: undefined, make, onSet });
  Object.defineProperty(o, key, p.descriptor);
}
