/**
 * A stable, compact text form of a CUE syntax tree for golden tests: one node
 * per line as `Kind line:col-line:col details`, children indented under the
 * name of the property that holds them. Strings are JSON-quoted.
 */
import type * as ast from './ast.js';

export function dumpAst(node: ast.Node): string {
  const out: string[] = [];
  dump(node, '', '', out);
  return out.join('\n') + '\n';
}

function pos(n: ast.Node): string {
  const a = n.src.lineCol(n.start);
  const b = n.src.lineCol(n.end);
  return `${a.line}:${a.column}-${b.line}:${b.column}`;
}

const q = (s: string) => JSON.stringify(s);

function dump(n: ast.Node, indent: string, role: string, out: string[]): void {
  const head = `${indent}${role}${n.kind} ${pos(n)}`;
  const sub = indent + '  ';
  const child = (r: string, c: ast.Node | undefined) => {
    if (c) dump(c, sub, r + ': ', out);
  };
  const list = (r: string, cs: readonly ast.Node[]) => {
    cs.forEach((c, i) => dump(c, sub, `${r}[${i}]: `, out));
  };
  switch (n.kind) {
    case 'File':
      out.push(`${head}${n.packageName !== undefined ? ` package=${n.packageName}` : ''} comments=${n.comments.length}`);
      list('imports', n.imports);
      list('decls', n.decls);
      return;
    case 'ImportSpec':
      out.push(`${head}${n.name !== undefined ? ` ${n.name}` : ''} ${q(n.path)}`);
      return;
    case 'Comment':
      out.push(`${head} ${q(n.text)}`);
      return;
    case 'Field': {
      const flags = [n.constraint ? `constraint=${n.constraint}` : '', n.alias !== undefined ? `alias=${n.alias}` : '']
        .filter(Boolean)
        .join(' ');
      out.push(`${head}${flags ? ' ' + flags : ''}`);
      list('doc', n.doc);
      child('label', n.label);
      child('value', n.value);
      list('attrs', n.attrs);
      child('lineComment', n.lineComment);
      return;
    }
    case 'EmbedDecl':
      out.push(head);
      list('doc', n.doc);
      child('expr', n.expr);
      return;
    case 'LetDecl':
      out.push(`${head} ${n.name}`);
      list('doc', n.doc);
      child('expr', n.expr);
      return;
    case 'Ellipsis':
      out.push(head);
      child('type', n.type);
      return;
    case 'Attribute':
      out.push(`${head} ${n.name} ${q(n.body)}`);
      return;
    case 'StringLabel':
      out.push(`${head} ${q(n.value)}`);
      return;
    case 'ParenLabel':
      out.push(head);
      child('expr', n.expr);
      return;
    case 'PatternLabel':
      out.push(`${head}${n.alias !== undefined ? ` alias=${n.alias}` : ''}`);
      child('expr', n.expr);
      return;
    case 'Ident':
      out.push(`${head} ${n.name}`);
      return;
    case 'BasicLit': {
      const v = n.type === 'string' || n.type === 'bytes' ? q(n.value) : String(n.value);
      out.push(`${head} ${n.type} ${v}${n.type === 'int' || n.type === 'float' ? ` raw=${n.raw}` : ''}`);
      return;
    }
    case 'Interpolation':
      out.push(`${head} ${n.type}`);
      n.parts.forEach((p, i) => {
        if (typeof p === 'string') out.push(`${sub}parts[${i}]: ${q(p)}`);
        else dump(p, sub, `parts[${i}]: `, out);
      });
      return;
    case 'StructLit':
      out.push(head);
      list('decls', n.decls);
      return;
    case 'ListLit':
      out.push(head);
      list('elts', n.elts);
      return;
    case 'UnaryExpr':
      out.push(`${head} ${n.op}`);
      child('x', n.x);
      return;
    case 'BinaryExpr': {
      const p = n.src.lineCol(n.opPos);
      out.push(`${head} ${n.op} @${p.line}:${p.column}`);
      child('x', n.x);
      child('y', n.y);
      return;
    }
    case 'SelectorExpr': {
      out.push(`${head} .${q(n.sel)}`);
      child('x', n.x);
      return;
    }
    case 'IndexExpr':
      out.push(head);
      child('x', n.x);
      child('index', n.index);
      return;
    case 'SliceExpr':
      out.push(head);
      child('x', n.x);
      child('lo', n.lo);
      child('hi', n.hi);
      return;
    case 'CallExpr':
      out.push(head);
      child('fn', n.fn);
      list('args', n.args);
      return;
    case 'ParenExpr':
      out.push(head);
      child('x', n.x);
      return;
    case 'AliasExpr':
      out.push(`${head} ${n.name}`);
      child('expr', n.expr);
      return;
    case 'BadExpr':
      out.push(head);
      return;
    case 'Comprehension':
      out.push(head);
      list('clauses', n.clauses);
      child('body', n.body);
      return;
    case 'ForClause':
      out.push(`${head} ${n.key !== undefined ? n.key + ', ' : ''}${n.value}`);
      child('source', n.source);
      return;
    case 'IfClause':
      out.push(head);
      child('cond', n.cond);
      return;
    case 'LetClause':
      out.push(`${head} ${n.name}`);
      child('expr', n.expr);
      return;
    default: {
      const never: never = n;
      throw new Error(`dumpAst: unknown node ${(never as ast.Node).kind}`);
    }
  }
}
