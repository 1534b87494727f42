// A small scope analyser for the gate: which declaration each identifier refers to.
// Function scopes hold var, function declarations and params; block scopes hold
// let/const/class. Identifiers that resolve to nothing are globals.
export type Node = any;

export type BindingKind = "var" | "function" | "param" | "let" | "const" | "class" | "catch" | "self";

export interface Binding {
  name: string;
  kind: BindingKind;
  scope: Scope;
  /** declaring identifiers, in source order */
  decls: Node[];
  /** the FunctionDeclaration node, or the var's initialiser when it has exactly one */
  value?: Node;
}

export interface Scope {
  node: Node;
  parent: Scope | null;
  isFunction: boolean;
  names: Map<string, Binding>;
}

export interface Reference {
  node: Node;
  scope: Scope;
  write: boolean;
  /** operand of typeof: reading an undeclared name is fine there */
  typeofOperand: boolean;
  binding?: Binding;
}

export interface ScopeInfo {
  scopeOf: Map<Node, Scope>;
  refs: Reference[];
  refOf: Map<Node, Reference>;
  /** parent pointers for every node */
  parentOf: Map<Node, Node>;
  program: Scope;
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
export function isFunction(node: Node): boolean {
  return node && FUNCTION_TYPES.has(node.type);
}

function functionScope(s: Scope): Scope {
  let cur = s;
  while (!cur.isFunction && cur.parent) cur = cur.parent;
  return cur;
}

function declare(scope: Scope, id: Node, kind: BindingKind, value?: Node): void {
  let b = scope.names.get(id.name);
  if (!b) {
    b = { name: id.name, kind, scope, decls: [] };
    scope.names.set(id.name, b);
    if (value) b.value = value;
  } else if (b.kind === "var" || b.kind === "function") {
    if (kind === "function") b.kind = "function";
    b.value = undefined; // declared more than once: no single known value
  }
  b.decls.push(id);
}

export function patternIds(p: Node, out: Node[]): Node[] {
  if (!p) return out;
  switch (p.type) {
    case "Identifier": out.push(p); break;
    case "ObjectPattern": for (const prop of p.properties) patternIds(prop.type === "RestElement" ? prop.argument : prop.value, out); break;
    case "ArrayPattern": for (const el of p.elements) patternIds(el, out); break;
    case "RestElement": patternIds(p.argument, out); break;
    case "AssignmentPattern": patternIds(p.left, out); break;
  }
  return out;
}

/** Children of a node in source order (skipping location info). */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "start" || key === "end" || key === "type" || key === "range") continue;
    const v = node[key];
    if (Array.isArray(v)) { for (const c of v) if (c && typeof c.type === "string") out.push(c); }
    else if (v && typeof v.type === "string") out.push(v);
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

export function analyse(program: Node): ScopeInfo {
  const info: ScopeInfo = {
    scopeOf: new Map(), refs: [], refOf: new Map(), parentOf: new Map(),
    program: { node: program, parent: null, isFunction: true, names: new Map() },
  };
  info.scopeOf.set(program, info.program);

  // Pass 1: scopes and declarations.
  const declareIn = (node: Node, scope: Scope): void => {
    for (const c of children(node)) info.parentOf.set(c, node);
    switch (node.type) {
      case "VariableDeclaration": {
        const target = node.kind === "var" ? functionScope(scope) : scope;
        for (const d of node.declarations) {
          const ids = patternIds(d.id, []);
          const single = d.id.type === "Identifier" ? d.init || undefined : undefined;
          for (const id of ids) declare(target, id, node.kind === "var" ? "var" : node.kind, single);
        }
        break;
      }
      case "FunctionDeclaration":
        if (node.id) declare(functionScope(scope), node.id, "function", node);
        break;
      case "ClassDeclaration":
        if (node.id) declare(scope, node.id, "class", node);
        break;
    }
    if (isFunction(node)) {
      const fs: Scope = { node, parent: scope, isFunction: true, names: new Map() };
      info.scopeOf.set(node, fs);
      if (node.type === "FunctionExpression" && node.id) declare(fs, node.id, "self", node);
      for (const p of node.params) for (const id of patternIds(p, [])) declare(fs, id, "param");
      for (const p of node.params) declareIn(p, fs);
      if (node.body.type === "BlockStatement") {
        for (const c of children(node.body)) info.parentOf.set(c, node.body);
        info.parentOf.set(node.body, node);
        for (const s of node.body.body) declareIn(s, fs);
      } else {
        info.parentOf.set(node.body, node);
        declareIn(node.body, fs);
      }
      return;
    }
    let inner = scope;
    const blocky = node.type === "BlockStatement" || node.type === "ForStatement" || node.type === "ForInStatement" ||
      node.type === "ForOfStatement" || node.type === "SwitchStatement" || node.type === "CatchClause" ||
      node.type === "ClassDeclaration" || node.type === "ClassExpression" || node.type === "StaticBlock";
    if (blocky) {
      inner = { node, parent: scope, isFunction: false, names: new Map() };
      info.scopeOf.set(node, inner);
      if (node.type === "CatchClause" && node.param) for (const id of patternIds(node.param, [])) declare(inner, id, "catch");
      if (node.type === "ClassExpression" && node.id) declare(inner, node.id, "class", node);
    }
    for (const c of children(node)) declareIn(c, inner);
  };
  for (const s of program.body) { info.parentOf.set(s, program); declareIn(s, info.program); }

  // Pass 2: references, resolved against the scopes.
  const resolve = (scope: Scope, name: string): Binding | undefined => {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const b = s.names.get(name);
      if (b) return b;
    }
    return undefined;
  };
  const addRef = (id: Node, scope: Scope, write: boolean): void => {
    const parent = info.parentOf.get(id);
    const typeofOperand = !!parent && parent.type === "UnaryExpression" && parent.operator === "typeof";
    const ref: Reference = { node: id, scope, write, typeofOperand, binding: resolve(scope, id.name) };
    info.refs.push(ref);
    info.refOf.set(id, ref);
  };
  const patternRefs = (p: Node, scope: Scope): void => {
    // assignment targets: identifiers are writes, defaults and computed keys are reads
    if (!p) return;
    if (p.type === "Identifier") addRef(p, scope, true);
    else if (p.type === "ObjectPattern") {
      for (const prop of p.properties) {
        if (prop.type === "RestElement") patternRefs(prop.argument, scope);
        else { if (prop.computed) refsIn(prop.key, scope); patternRefs(prop.value, scope); }
      }
    } else if (p.type === "ArrayPattern") for (const el of p.elements) patternRefs(el, scope);
    else if (p.type === "RestElement") patternRefs(p.argument, scope);
    else if (p.type === "AssignmentPattern") { patternRefs(p.left, scope); refsIn(p.right, scope); }
    else refsIn(p, scope);
  };
  const declPattern = (p: Node, scope: Scope): void => {
    // declarations: identifiers are not references, but defaults are
    if (!p || p.type === "Identifier") return;
    if (p.type === "ObjectPattern") {
      for (const prop of p.properties) {
        if (prop.type === "RestElement") declPattern(prop.argument, scope);
        else { if (prop.computed) refsIn(prop.key, scope); declPattern(prop.value, scope); }
      }
    } else if (p.type === "ArrayPattern") for (const el of p.elements) declPattern(el, scope);
    else if (p.type === "RestElement") declPattern(p.argument, scope);
    else if (p.type === "AssignmentPattern") { declPattern(p.left, scope); refsIn(p.right, scope); }
  };
  const refsIn = (node: Node, scope: Scope): void => {
    if (!node) return;
    const own = info.scopeOf.get(node);
    const s = own || scope;
    switch (node.type) {
      case "Identifier": addRef(node, scope, false); return;
      case "MemberExpression":
        refsIn(node.object, s);
        if (node.computed) refsIn(node.property, s);
        return;
      case "Property":
        if (node.computed) refsIn(node.key, s);
        refsIn(node.value, s);
        return;
      case "MethodDefinition": case "PropertyDefinition":
        if (node.computed) refsIn(node.key, s);
        refsIn(node.value, s);
        return;
      case "LabeledStatement": refsIn(node.body, s); return;
      case "BreakStatement": case "ContinueStatement": case "MetaProperty": case "PrivateIdentifier": return;
      case "VariableDeclarator": declPattern(node.id, s); refsIn(node.init, s); return;
      case "AssignmentExpression":
        if (node.left.type === "Identifier") addRef(node.left, s, true);
        else if (node.left.type === "ObjectPattern" || node.left.type === "ArrayPattern") patternRefs(node.left, s);
        else refsIn(node.left, s);
        refsIn(node.right, s);
        return;
      case "UpdateExpression":
        if (node.argument.type === "Identifier") addRef(node.argument, s, true);
        else refsIn(node.argument, s);
        return;
      case "ForInStatement": case "ForOfStatement":
        if (node.left.type === "VariableDeclaration") refsIn(node.left, s);
        else patternRefs(node.left, s);
        refsIn(node.right, s);
        refsIn(node.body, s);
        return;
      case "CatchClause": declPattern(node.param, s); refsIn(node.body, s); return;
      case "ClassDeclaration": case "ClassExpression":
        refsIn(node.superClass, scope);
        refsIn(node.body, s);
        return;
    }
    if (isFunction(node)) {
      for (const p of node.params) declPattern(p, s);
      refsIn(node.body, s);
      return;
    }
    for (const c of children(node)) refsIn(c, s);
  };
  for (const st of program.body) refsIn(st, info.program);
  return info;
}
