import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import ts from "typescript";
const spec = process.argv[2];
const r = await build({ stdin:{contents:`export * as m from ${JSON.stringify(spec)};`, resolveDir:process.cwd(), loader:"js"}, bundle:true, minify:true, format:"esm", platform:"neutral", write:false, logLevel:"silent"});
const code = r.outputFiles[0].text;
const sf = ts.createSourceFile("x.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
let total = 0; const spans=[];
const K = ts.SyntaxKind;
function visit(n){
  if ([K.StringLiteral,K.NoSubstitutionTemplateLiteral,K.TemplateHead,K.TemplateMiddle,K.TemplateTail].includes(n.kind)) { const s=n.getStart(), e=n.getEnd(); total+=e-s; spans.push([s,e]); }
  ts.forEachChild(n, visit);
  if (n.kind===K.TemplateExpression){ /* heads/spans visited via children? */ }
}
visit(sf);
console.log(spec, "min", code.length, "gz", gzipSync(code,{level:9}).length, "string bytes", total, "count", spans.length);
let out="", last=0; for (const [s,e] of spans.sort((a,b)=>a[0]-b[0])) { out+=code.slice(last,s)+'""'; last=e; } out+=code.slice(last);
console.log("  without strings min", out.length, "gz", gzipSync(out,{level:9}).length);
