import type * as acorn from 'acorn';
import { globalName, propertyName, stringLiteral, type Binding, type FunctionNode, type ParsedScript } from './script.ts';

/** A snippet value as far as the static audit can follow it. */
export type Resolved =
  | { kind: 'value'; value: string }
  | { kind: 'undefined'; source: string }
  | { kind: 'unresolved'; source: string; why: string };

const FUNCTION = /Function/;

/**
 * What one page's resolving may cost. The audit is synchronous: no timer can interrupt it, so a page whose
 * constants refer to each other many times over (`${A}${A}…`, A = `${B}${B}…`) must not grow its work or
 * its values without bound. No real snippet value comes near either limit.
 */
const MAX_STEPS = 20_000;
const MAX_VALUE_LENGTH = 2_000;

/**
 * What the page's scripts bind, across all of them: constants, object literals and functions, whether
 * local (a `define:vars` wrapper's constants) or global (`window.SETTINGS = {…}` in another file).
 * Follows simple indirection only; anything computed is `unresolved`, and the browser check decides.
 */
export class PageBindings {
  readonly #bindings = new Map<string, Binding[]>();
  readonly #resolved = new Map<acorn.Node, Resolved>();
  #steps = 0;

  constructor(scripts: readonly ParsedScript[]) {
    for (const binding of scripts.flatMap((s) => s.bindings)) {
      const named = this.#bindings.get(binding.name);
      if (named) named.push(binding);
      else this.#bindings.set(binding.name, [binding]);
    }
  }

  resolve(node: acorn.Node | null | undefined, script: ParsedScript, depth = 0): Resolved {
    if (!node) return { kind: 'undefined', source: 'nothing' };
    const known = this.#resolved.get(node);
    if (known) return known;
    const resolved = this.#resolveOnce(node, script, depth);
    this.#resolved.set(node, resolved);
    return resolved;
  }

  #resolveOnce(node: acorn.Node, script: ParsedScript, depth: number): Resolved {
    const source = script.source.code.slice(node.start, Math.min(node.end, node.start + MAX_VALUE_LENGTH));
    const unresolved = (why: string): Resolved => ({ kind: 'unresolved', source, why });
    if (depth > 12) return unresolved('it is bound too indirectly');
    if (++this.#steps > MAX_STEPS) return unresolved('the page binds too much for the audit to follow');
    const literal = stringLiteral(node);
    if (literal !== null) return { kind: 'value', value: literal };
    const n = node as acorn.Expression;
    switch (n.type) {
      case 'Literal':
        return n.value === null ? { kind: 'undefined', source: 'null' } : { kind: 'value', value: String(n.value) };
      case 'Identifier': {
        if (n.name === 'undefined') return { kind: 'undefined', source };
        const binding = this.#lookup(n.name, script, n.start);
        if (!binding) return unresolved(`${n.name} is not defined by the page's scripts`);
        if (!binding.init) return unresolved(`${n.name} is not given a value the audit can read`);
        return this.resolve(binding.init, binding.script, depth + 1);
      }
      case 'UnaryExpression':
        return n.operator === 'void' ? { kind: 'undefined', source } : unresolved('it is computed');
      case 'TemplateLiteral': {
        let value = '';
        for (const [i, quasi] of n.quasis.entries()) {
          value += quasi.value.cooked ?? '';
          const expression = n.expressions[i];
          if (!expression) continue;
          const part = this.resolve(expression, script, depth + 1);
          if (part.kind === 'unresolved') return unresolved('a part of it is computed');
          value += describe(part);
          if (value.length > MAX_VALUE_LENGTH) return unresolved('it is longer than any snippet value');
        }
        return { kind: 'value', value };
      }
      case 'LogicalExpression': {
        const left = this.resolve(n.left, script, depth + 1);
        if (left.kind === 'value' && left.value !== '') return n.operator === '&&' ? this.resolve(n.right, script, depth + 1) : left;
        if (left.kind === 'undefined') return n.operator === '&&' ? left : this.resolve(n.right, script, depth + 1);
        return unresolved('it is computed');
      }
      case 'MemberExpression': {
        const env = buildTimeEnv(source);
        if (env) return unresolved(`it is read from ${env} when the page runs; only the browser check sees its value`);
        const object = this.objectOf(n.object, script, depth + 1);
        const key = propertyName(n);
        if (!object || key === null) return unresolved('it is read from an object the audit cannot follow');
        const property = object.node.properties.find((p): p is acorn.Property => p.type === 'Property' && keyOf(p) === key);
        // An object may get the property after it is written ({} then cfg.tenant = …): not a definite undefined.
        if (!property) return unresolved(`its object, where it is written, has no ${key}`);
        return this.resolve(property.value, object.script, depth + 1);
      }
      default:
        return unresolved('it is computed');
    }
  }

  /** The function a handler names, when it is declared (or bound to a function) anywhere on the page. */
  functionNamed(name: string, script: ParsedScript, position: number): FunctionNode | null {
    const init = this.#lookup(name, script, position)?.init;
    return init && FUNCTION.test(init.type) ? (init as FunctionNode) : null;
  }

  objectOf(node: acorn.Node, script: ParsedScript, depth: number): { node: acorn.ObjectExpression; script: ParsedScript } | null {
    if (depth > 12) return null;
    if (node.type === 'ObjectExpression') return { node: node as acorn.ObjectExpression, script };
    const global = globalName(node as acorn.Expression);
    if (node.type === 'Identifier' || (global && node.type === 'MemberExpression')) {
      const binding = this.#lookup(global ?? (node as acorn.Identifier).name, script, node.start, node.type === 'MemberExpression');
      return binding?.init ? this.objectOf(binding.init, binding.script, depth + 1) : null;
    }
    if (node.type === 'MemberExpression') {
      const member = node as acorn.MemberExpression;
      const parent = this.objectOf(member.object, script, depth + 1);
      const key = propertyName(member);
      const property = parent?.node.properties.find((p): p is acorn.Property => p.type === 'Property' && keyOf(p) === key);
      return property && parent ? this.objectOf(property.value, parent.script, depth + 1) : null;
    }
    return null;
  }

  /** The innermost binding of `name` visible at `position` in `script`, else the page's global one. */
  #lookup(name: string, script: ParsedScript, position: number, globalOnly = false): Binding | undefined {
    const candidates = this.#bindings.get(name) ?? [];
    if (!globalOnly) {
      const local = candidates
        .filter((b) => b.script === script && b.scope && b.scope.start <= position && position < b.scope.end)
        .sort((a, b) => b.scope!.start - a.scope!.start)[0];
      if (local) return local;
    }
    const globals = candidates.filter((b) => b.scope === null);
    return globals.at(-1);
  }
}

function keyOf(property: acorn.Property): string | null {
  if (property.key.type === 'Identifier' && !property.computed) return property.key.name;
  return stringLiteral(property.key);
}

function buildTimeEnv(source: string): string | null {
  return /^(import\.meta\.env|process\.env)\.\w+$/.test(source) ? source : null;
}

/** A resolved value as the browser would write it into a string. */
export function describe(resolved: Resolved): string {
  if (resolved.kind === 'value') return resolved.value;
  if (resolved.kind === 'undefined') return resolved.source === 'null' ? 'null' : 'undefined';
  return resolved.source;
}
