/**
 * The regular expressions a source file holds, read with the TypeScript compiler's parser: every regex literal
 * (`/…/flags`, with its pattern and flags) and every regex built at run time (`new RegExp(…)`, `RegExp(…)`), with
 * the call's text and where it is: the constant it is assigned to, else the function it is in (`findArxivIds #2` for
 * the second in one place). Comments, strings and divisions are not mistaken for regexes. Pure, so it can be tested
 * on tiny sources.
 */
import ts from 'typescript';

export type FoundRegex =
  | { kind: 'literal'; file: string; line: number; text: string; pattern: string; flags: string }
  | { kind: 'built'; file: string; line: number; text: string; where: string };

export function regexesIn(file: string, source: string): FoundRegex[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: FoundRegex[] = [];
  const lineOf = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const slash = node.text.lastIndexOf('/');
      found.push({
        kind: 'literal',
        file,
        line: lineOf(node),
        text: node.text,
        pattern: node.text.slice(1, slash),
        flags: node.text.slice(slash + 1),
      });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      const name = enclosingName(node);
      const seen = found.filter((f) => f.kind === 'built' && f.where.split(' #')[0] === name).length;
      found.push({
        kind: 'built',
        file,
        line: lineOf(node),
        text: node.getText(sourceFile).replace(/\s+/g, ' '),
        where: seen ? `${name} #${seen + 1}` : name,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The constant, property or function a node is part of: `PAPER_LINK`, `handleMessage`, or `(top level)`. */
function enclosingName(node: ts.Node): string {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (
      (ts.isVariableDeclaration(at) ||
        ts.isFunctionDeclaration(at) ||
        ts.isMethodDeclaration(at) ||
        ts.isPropertyAssignment(at) ||
        ts.isPropertyDeclaration(at)) &&
      at.name &&
      ts.isIdentifier(at.name)
    )
      return at.name.text;
  }
  return '(top level)';
}
