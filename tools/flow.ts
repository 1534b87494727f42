// Use before definition, as Espruino runs it: there is no hoisting, so a `function f(){}`
// or `var x` exists only once its statement has run, and a var in an untaken branch never
// exists. This walks code in execution order, tracking which var/function bindings are
// declared on every path, and follows what runs immediately: the body of each function,
// IIFEs, calls by name to known functions (so top-level code that calls a function which
// reads a later `var` is caught) and array-iteration callbacks. It cannot follow other method
// calls or callbacks.
import { Binding, Node, Scope, ScopeInfo, isFunction, patternIds } from "./scope";

export interface FlowProblem { node: Node; message: string }

type State = Set<Binding>;

/** methods whose function arguments run before the call returns */
const SYNC_CALLBACKS = new Set(["forEach", "map", "filter", "some", "every", "reduce", "find", "findIndex", "sort", "replace"]);

const tracked = (b: Binding | undefined): b is Binding => !!b && (b.kind === "var" || b.kind === "function");

export function useBeforeDefinition(info: ScopeInfo): FlowProblem[] {
  const problems = new Map<number, FlowProblem>();
  const report = (node: Node, message: string): void => {
    if (!problems.has(node.start)) problems.set(node.start, { node, message });
  };

  const run = (start: Node): void => {
    const active = new Set<Scope>();
    const visited = new Set<Node>();

    const checkRef = (id: Node, state: State): void => {
      const ref = info.refOf.get(id);
      if (!ref || ref.typeofOperand || !tracked(ref.binding) || !active.has(ref.binding.scope)) return;
      if (state.has(ref.binding)) return;
      const b = ref.binding;
      if (ref.write) report(id, "'" + b.name + "' is assigned before its var declaration has run: on Espruino that creates a global");
      else if (b.kind === "function") report(id, "'" + b.name + "' is used before its function declaration has run (no hoisting on Espruino): move the declaration up");
      else report(id, "'" + b.name + "' is used before its var declaration has run on this path (no hoisting on Espruino; a var in an untaken branch never exists)");
    };

    const enter = (fn: Node, state: State): void => {
      const scope = info.scopeOf.get(fn)!;
      // once per run; a function already running (recursion, a callback calling its
      // enclosing function) is a new activation we do not model
      if (visited.has(fn) || active.has(scope)) return;
      visited.add(fn);
      active.add(scope);
      if (fn.body.type === "BlockStatement") block(fn.body.body, new Set(state));
      else expr(fn.body, new Set(state));
      active.delete(scope);
    };

    const calleeFunction = (callee: Node): Node | undefined => {
      if (isFunction(callee)) return callee;
      if (callee.type === "MemberExpression" && !callee.computed && isFunction(callee.object) &&
          (callee.property.name === "call" || callee.property.name === "apply")) return callee.object;
      if (callee.type === "Identifier") {
        const b = info.refOf.get(callee)?.binding;
        if (!b) return undefined;
        if (b.kind === "function" && b.value && b.decls.length === 1) return b.value;
        if (b.kind === "var" && b.value && isFunction(b.value)) return b.value;
      }
      return undefined;
    };

    const expr = (node: Node, state: State): void => {
      if (!node) return;
      if (isFunction(node)) return; // defined now, runs later
      switch (node.type) {
        case "Identifier": checkRef(node, state); return;
        case "MemberExpression": expr(node.object, state); if (node.computed) expr(node.property, state); return;
        case "Property": if (node.computed) expr(node.key, state); expr(node.value, state); return;
        case "ClassDeclaration": case "ClassExpression": expr(node.superClass, state); classBody(node.body, state); return;
        case "CallExpression": case "NewExpression": {
          expr(node.callee, state);
          for (const a of node.arguments) expr(a, state);
          const fn = calleeFunction(node.callee);
          if (fn) enter(fn, state);
          // array iteration runs its callback right away
          if (node.callee.type === "MemberExpression" && !node.callee.computed && SYNC_CALLBACKS.has(node.callee.property.name)) {
            for (const a of node.arguments) if (isFunction(a)) enter(a, state);
          }
          return;
        }
        case "AssignmentExpression": expr(node.right, state); expr(node.left, state); return;
      }
      for (const key of Object.keys(node)) {
        if (key === "loc") continue;
        const v = node[key];
        if (Array.isArray(v)) { for (const c of v) if (c && typeof c.type === "string") expr(c, state); }
        else if (v && typeof v.type === "string") expr(v, state);
      }
    };

    const classBody = (body: Node, state: State): void => {
      for (const m of body.body) {
        if (m.computed) expr(m.key, state);
        if (m.type === "PropertyDefinition" && m.static) expr(m.value, state);
        if (m.type === "StaticBlock") block(m.body, state);
      }
    };

    const declareVars = (decl: Node, state: State): void => {
      for (const d of decl.declarations) {
        if (decl.kind === "var") {
          for (const id of patternIds(d.id, [])) {
            const b = lookupDecl(id);
            if (b) state.add(b);
          }
        }
        expr(d.init, state);
      }
    };

    const lookupDecl = (id: Node): Binding | undefined => {
      for (const s of active) {
        const b = s.names.get(id.name);
        if (b && b.decls.indexOf(id) >= 0) return b;
      }
      return undefined;
    };

    /** Walks a branch that may not run: returns its end state and whether it ends abruptly. */
    const branch = (stmts: Node[], state: State): { state: State; abrupt: boolean } => {
      const s = new Set(state);
      const abrupt = block(stmts, s);
      return { state: s, abrupt };
    };

    const merge = (into: State, before: State, ends: { state: State; abrupt: boolean }[]): void => {
      const live = ends.filter((e) => !e.abrupt);
      const use = live.length ? live : ends;
      for (const b of use[0] ? use[0].state : []) {
        if (!before.has(b) && use.every((e) => e.state.has(b))) into.add(b);
      }
    };

    const asList = (n: Node): Node[] => (!n ? [] : n.type === "BlockStatement" ? n.body : [n]);

    /** Returns true when the statement list ends abruptly (return/throw/break/continue). */
    const block = (stmts: Node[], state: State): boolean => {
      for (const st of stmts) if (stmt(st, state)) return true;
      return false;
    };

    const stmt = (node: Node, state: State): boolean => {
      switch (node.type) {
        case "VariableDeclaration": declareVars(node, state); return false;
        case "FunctionDeclaration": {
          const b = node.id && lookupDecl(node.id);
          if (b) state.add(b);
          return false;
        }
        case "ClassDeclaration": expr(node, state); return false;
        case "ExpressionStatement": expr(node.expression, state); return false;
        case "ReturnStatement": case "ThrowStatement": expr(node.argument, state); return true;
        case "BreakStatement": case "ContinueStatement": return true;
        case "BlockStatement": case "StaticBlock": return block(node.body, state);
        case "LabeledStatement": return stmt(node.body, state);
        case "IfStatement": {
          expr(node.test, state);
          const a = branch(asList(node.consequent), state);
          const b = branch(asList(node.alternate), state);
          const before = new Set(state);
          merge(state, before, [a, b]);
          return a.abrupt && b.abrupt;
        }
        case "ForStatement": {
          if (node.init) { if (node.init.type === "VariableDeclaration") declareVars(node.init, state); else expr(node.init, state); }
          expr(node.test, state);
          // for (;;) runs its body at least once: what it declares exists after the loop
          const body = node.test ? new Set(state) : state;
          block(asList(node.body), body);
          expr(node.update, body);
          return false;
        }
        case "ForInStatement": case "ForOfStatement": {
          expr(node.right, state);
          if (node.left.type === "VariableDeclaration") declareVars(node.left, state); else expr(node.left, state);
          block(asList(node.body), new Set(state));
          return false;
        }
        case "WhileStatement": {
          expr(node.test, state);
          const always = node.test.type === "Literal" && !!node.test.value;
          block(asList(node.body), always ? state : new Set(state));
          return false;
        }
        case "DoWhileStatement": {
          const abrupt = block(asList(node.body), state);
          if (!abrupt) expr(node.test, state);
          return false;
        }
        case "TryStatement": {
          const before = new Set(state);
          const t = branch(node.block.body, state);
          const c = node.handler ? branch(node.handler.body.body, state) : { state: new Set(state), abrupt: true };
          merge(state, before, [t, c]);
          const f = node.finalizer ? block(node.finalizer.body, state) : false;
          return f || (t.abrupt && c.abrupt);
        }
        case "SwitchStatement": {
          expr(node.discriminant, state);
          const before = new Set(state);
          const ends: { state: State; abrupt: boolean }[] = [];
          let hasDefault = false;
          for (const c of node.cases) {
            if (!c.test) hasDefault = true;
            else expr(c.test, state);
            const s = new Set(state);
            let abrupt = false;
            for (const st of c.consequent) {
              if (st.type === "BreakStatement" && !st.label) break;
              if (stmt(st, s)) { abrupt = true; break; }
            }
            ends.push({ state: s, abrupt });
          }
          if (!hasDefault) ends.push({ state: new Set(state), abrupt: false });
          merge(state, before, ends);
          return false;
        }
        case "WithStatement": expr(node.object, state); return stmt(node.body, state);
        default: return false;
      }
    };

    if (start.type === "Program") {
      active.add(info.program);
      block(start.body, new Set());
    } else {
      enter(start, new Set());
    }
  };

  // Load time first (the program and everything it runs), then every function on its own.
  run(info.program.node);
  for (const scope of info.scopeOf.values()) if (scope.isFunction && scope.node.type !== "Program") run(scope.node);
  return [...problems.values()].sort((a, b) => a.node.start - b.node.start);
}
