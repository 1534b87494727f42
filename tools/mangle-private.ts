// Compile step 1b: TypeScript `private` class members of the device code get short names.
// On Espruino a property name of more than 4 characters takes one more JsVar (13+: two more),
// in every prototype and in every instance that holds it (measured on the twin: 4-character
// names cost 1 JsVar per property, 5-12 characters 2, 16 characters 3). Private members are
// only reached through their class (the type checker guarantees it), so renaming them is safe;
// public members are read by the board, the simulator and JSON, and keep their names.
//
// Each private member declared in firmware/ or drivers/ with a name longer than 4 characters
// becomes "$" + a program-wide base-36 number ("$0", "$1a": never more than 4 characters, and
// unique, so a base class and a subclass never share one). Any use of such a member that is
// not a property access, an element access with a literal or its own declaration (a
// destructuring, an `in` test) is a build error instead of a silent miss. Parameter properties
// (`constructor(private x)`) keep their names.
import * as path from "path";
import ts from "typescript";
import { ROOT } from "./paths";

const DEVICE_DIRS = ["firmware", "drivers"].map((d) => path.join(ROOT, d) + path.sep);
/** names this short already fit one JsVar */
const SHORT = 4;

export interface PrivateMangler {
  transformer: ts.TransformerFactory<ts.SourceFile>;
  /** uses the transformer cannot rename (file:line: why); non-empty fails the build */
  errors: string[];
  /** original "Class.member" -> short name, for reports and tests */
  names: Map<string, string>;
}

function isDeviceFile(file: string): boolean {
  const f = path.resolve(file);
  return DEVICE_DIRS.some((d) => f.startsWith(d));
}

function isPrivateDeclaration(d: ts.Declaration): boolean {
  return (ts.isPropertyDeclaration(d) || ts.isMethodDeclaration(d) || ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d)) &&
    (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Private) !== 0 && ts.isIdentifier(d.name);
}

function isDeclarationName(node: ts.Identifier): boolean {
  const p = node.parent;
  return (ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) && p.name === node;
}

/** isDevice: which source files are renamed (firmware/ and drivers/; tests pass their own) */
export function privateMangler(program: ts.Program, isDevice: (file: string) => boolean = isDeviceFile): PrivateMangler {
  const checker = program.getTypeChecker();
  const bySymbol = new Map<ts.Symbol, string>();
  const names = new Map<string, string>();
  const errors: string[] = [];

  /** the short name of a private device member, or undefined to keep the name */
  const shortFor = (sym: ts.Symbol | undefined): string | undefined => {
    if (!sym || !sym.declarations || !sym.declarations.length) return undefined;
    const d = sym.declarations[0]!;
    if (!isPrivateDeclaration(d) || sym.name.length <= SHORT || !isDevice(d.getSourceFile().fileName)) return undefined;
    let n = bySymbol.get(sym);
    if (!n) {
      n = "$" + bySymbol.size.toString(36);
      bySymbol.set(sym, n);
      const cls = d.parent && ts.isClassLike(d.parent) && d.parent.name ? d.parent.name.text : "?";
      names.set(cls + "." + sym.name, n);
    }
    return n;
  };
  const where = (node: ts.Node): string => {
    const sf = node.getSourceFile();
    return path.relative(ROOT, sf.fileName) + ":" + (sf.getLineAndCharacterOfPosition(node.getStart()).line + 1);
  };
  const renamed = (name: ts.Identifier | ts.StringLiteral, to: string): ts.Identifier => ts.setTextRange(ts.factory.createIdentifier(to), name);

  const transformer: ts.TransformerFactory<ts.SourceFile> = (context) => {
    const f = context.factory;
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
        const to = shortFor(checker.getSymbolAtLocation(node.name));
        if (to) {
          const obj = ts.visitNode(node.expression, visit) as ts.Expression;
          return ts.isPropertyAccessChain(node)
            ? f.updatePropertyAccessChain(node, obj, node.questionDotToken, renamed(node.name, to))
            : f.updatePropertyAccessExpression(node, obj, renamed(node.name, to));
        }
      } else if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression)) {
        const to = shortFor(checker.getSymbolAtLocation(node.argumentExpression));
        if (to) return f.updateElementAccessExpression(node, ts.visitNode(node.expression, visit) as ts.Expression, f.createStringLiteral(to));
      } else if (ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
        const to = ts.isIdentifier(node.name) ? shortFor(checker.getSymbolAtLocation(node.name)) : undefined;
        if (to) {
          const name = renamed(node.name as ts.Identifier, to);
          const rest = ts.visitEachChild(node, visit, context) as typeof node;
          if (ts.isPropertyDeclaration(rest)) return f.updatePropertyDeclaration(rest, rest.modifiers, name, rest.questionToken || rest.exclamationToken, rest.type, rest.initializer);
          if (ts.isMethodDeclaration(rest)) return f.updateMethodDeclaration(rest, rest.modifiers, rest.asteriskToken, name, rest.questionToken, rest.typeParameters, rest.parameters, rest.type, rest.body);
          if (ts.isGetAccessorDeclaration(rest)) return f.updateGetAccessorDeclaration(rest, rest.modifiers, name, rest.parameters, rest.type, rest.body);
          return f.updateSetAccessorDeclaration(rest as ts.SetAccessorDeclaration, rest.modifiers, name, (rest as ts.SetAccessorDeclaration).parameters, (rest as ts.SetAccessorDeclaration).body);
        }
      } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        // const { member } = obj: the property comes from the pattern's type
        const key = node.propertyName || node.name;
        const prop = ts.isIdentifier(key) ? checker.getPropertyOfType(checker.getTypeAtLocation(node.parent), key.text) : undefined;
        if (shortFor(prop)) errors.push(where(node) + ": private member '" + prop!.name + "' is destructured; the build cannot rename that (use this." + prop!.name + ")");
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && ts.isStringLiteral(node.left)) {
        const prop = checker.getPropertyOfType(checker.getTypeAtLocation(node.right), node.left.text);
        if (shortFor(prop)) errors.push(where(node) + ": private member '" + node.left.text + "' is tested with `in`; the build cannot rename that");
      } else if (ts.isIdentifier(node) && node.parent && !ts.isPropertyAccessExpression(node.parent) && !isDeclarationName(node)) {
        // anything else naming a renamed member would keep the old name: refuse it
        const sym = checker.getSymbolAtLocation(node);
        if (shortFor(sym)) errors.push(where(node) + ": private member '" + node.text + "' is used in a way the build cannot rename (use this." + node.text + ")");
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (sf) => (isDevice(sf.fileName) ? (ts.visitNode(sf, visit) as ts.SourceFile) : sf);
  };
  return { transformer, errors, names };
}
