// Dialect rules that need TypeScript's types: methods that exist on strings but not on
// arrays or typed arrays in Espruino (lib.es5.d.ts declares them on both, so they type-check).
// The bundle gate sees these only when the receiver is visibly an array; here the type says so.
import * as path from "path";
import ts from "typescript";
import { MISSING_ARRAY_METHODS, TYPED_ARRAYS } from "./dialect";
import { ROOT, rel } from "./paths";

const ARRAY_TYPES = new Set(["Array", "ReadonlyArray"].concat([...TYPED_ARRAYS]));

function isArrayLike(checker: ts.TypeChecker, t: ts.Type): boolean {
  if (t.isUnion()) return t.types.some((u) => isArrayLike(checker, u));
  const name = t.getSymbol()?.getName();
  return !!name && ARRAY_TYPES.has(name);
}

/** Errors for array-only missing methods in the firmware and driver sources of a program. */
export function typedDialectErrors(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const errors: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || path.relative(ROOT, sf.fileName).startsWith("..") || sf.fileName.includes("node_modules")) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && Object.prototype.hasOwnProperty.call(MISSING_ARRAY_METHODS, node.name.text) &&
          isArrayLike(checker, checker.getTypeAtLocation(node.expression))) {
        const pos = sf.getLineAndCharacterOfPosition(node.name.getStart(sf));
        errors.push(rel(sf.fileName) + ":" + (pos.line + 1) + ":" + (pos.character + 1) + ": " + MISSING_ARRAY_METHODS[node.name.text]);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return errors;
}
