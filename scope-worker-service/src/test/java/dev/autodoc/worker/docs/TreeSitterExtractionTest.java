package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.symbol.SymbolKind;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Declarations, doc comments, exported-ness and imports read by tree-sitter from real published
 * code in each supported language; the expected facts are checked against the files themselves.
 */
class TreeSitterExtractionTest {

  @Test
  void python() {
    List<SourceFile> sources = RealCode.sources(RealCode.NODE_GYP);
    Symbol error = symbol(sources, "gyp/pylib/gyp/common.py", "GypError");
    assertThat(error.kind()).isEqualTo(SymbolKind.CLASS);
    assertThat(error.exported()).isTrue();
    assertThat(error.signature()).isEqualTo("class GypError(Exception)");
    assertThat(error.summary())
        .isEqualTo("Error class representing an error, which is to be presented to the user.");
    Symbol append = symbol(sources, "gyp/pylib/gyp/common.py", "ExceptionAppend");
    assertThat(append.kind()).isEqualTo(SymbolKind.FUNCTION);
    assertThat(append.qualifiedName()).isEqualTo("gyp.pylib.gyp.common.ExceptionAppend");
    assertThat(append.summary()).isEqualTo("Append a message to the given exception's message.");
    assertThat(append.line()).isEqualTo(38);
    // Leading underscores are private.
    assertThat(file(sources, "gyp/pylib/packaging/_parser.py").symbols())
        .filteredOn(s -> s.name().startsWith("_") && !s.name().equals("__init__"))
        .noneMatch(Symbol::exported);
    assertThat(file(sources, "gyp/pylib/gyp/generator/cmake.py").imports()).contains("gyp.common");
    DocStructure structure = RealCode.context(RealCode.NODE_GYP).structure();
    assertThat(structure.moduleDependencies().get("gyp/pylib/gyp/generator"))
        .contains("gyp/pylib/gyp");
  }

  @Test
  void typescript() {
    List<SourceFile> sources = RealCode.sources(RealCode.RXJS);
    Symbol observable = symbol(sources, "src/internal/Observable.ts", "Observable");
    assertThat(observable.kind()).isEqualTo(SymbolKind.CLASS);
    assertThat(observable.exported()).isTrue();
    assertThat(observable.signature())
        .isEqualTo("export class Observable<T> implements Subscribable<T>");
    assertThat(observable.summary())
        .isEqualTo("A representation of any set of values over any amount of time.");
    assertThat(file(sources, "src/internal/Observable.ts").symbols())
        .anySatisfy(
            s -> {
              assertThat(s.name()).isEqualTo("subscribe");
              assertThat(s.kind()).isEqualTo(SymbolKind.METHOD);
              assertThat(s.container()).isEqualTo(observable.qualifiedName());
            });
    assertThat(file(sources, "src/internal/Observable.ts").imports())
        .contains("./Subscriber", "./util/pipe");
    DocStructure structure = RealCode.context(RealCode.RXJS).structure();
    assertThat(structure.moduleDependencies().get("src/internal")).contains("src/internal/util");
  }

  @Test
  void javascriptWithoutEsExportsExportsItsTopLevel() {
    List<SourceFile> sources = RealCode.sources(RealCode.TREE_SITTER);
    SourceFile index = file(sources, "index.js");
    assertThat(index.language()).isEqualTo("javascript");
    assertThat(index.symbols()).isNotEmpty().anyMatch(Symbol::exported);
    assertThat(index.imports()).isNotEmpty();
  }

  @Test
  void go() {
    List<SourceFile> sources = RealCode.sources(RealCode.COBRA);
    Symbol execute = symbol(sources, "command.go", "Execute");
    assertThat(execute.kind()).isEqualTo(SymbolKind.METHOD);
    assertThat(execute.container()).isEqualTo("Command");
    assertThat(execute.qualifiedName()).isEqualTo("Command.Execute");
    assertThat(execute.signature()).isEqualTo("func (c *Command) Execute() error");
    assertThat(execute.line()).isEqualTo(967);
    assertThat(execute.summary()).startsWith("Execute uses the args (os.Args[1:] by default)");
    Symbol command = symbol(sources, "command.go", "Command");
    assertThat(command.kind()).isEqualTo(SymbolKind.STRUCT);
    assertThat(command.exported()).isTrue();
    // Lower-case names are the package's own.
    assertThat(sources.stream().flatMap(s -> s.symbols().stream()))
        .filteredOn(s -> Character.isLowerCase(s.name().charAt(0)))
        .isNotEmpty()
        .noneMatch(Symbol::exported);
    // The root package is named by go.mod alone, so only the import itself is checked here.
    assertThat(file(sources, "doc/man_docs.go").imports()).contains("github.com/spf13/cobra");
  }

  @Test
  void rust() {
    List<SourceFile> sources = RealCode.sources(RealCode.SEMVER);
    Symbol version = symbol(sources, "src/lib.rs", "Version");
    assertThat(version.kind()).isEqualTo(SymbolKind.STRUCT);
    assertThat(version.exported()).isTrue();
    assertThat(version.signature()).isEqualTo("pub struct Version");
    Symbol parse =
        file(sources, "src/lib.rs").symbols().stream()
            .filter(s -> s.name().equals("parse") && s.container().equals("src.Version"))
            .findFirst()
            .orElseThrow();
    assertThat(parse.kind()).isEqualTo(SymbolKind.METHOD);
    assertThat(parse.exported()).isTrue();
    assertThat(parse.signature()).isEqualTo("pub fn parse(text: &str) -> Result<Self, Error>");
    assertThat(parse.line()).isEqualTo(431);
    assertThat(file(sources, "src/lib.rs").symbols())
        .filteredOn(s -> s.name().equals("new") && s.container().equals("src.Version"))
        .singleElement()
        .satisfies(s -> assertThat(s.summary()).startsWith("Create `Version` with an empty"));
  }

  @Test
  void cHeadersWithDocComments() {
    List<SourceFile> sources = RealCode.sources(RealCode.TREE_SITTER);
    SourceFile api = file(sources, "vendor/tree-sitter/lib/include/tree_sitter/api.h");
    assertThat(api.language()).isEqualTo("c");
    Symbol create =
        api.symbols().stream()
            .filter(s -> s.name().equals("ts_parser_new"))
            .findFirst()
            .orElseThrow();
    assertThat(create.kind()).isEqualTo(SymbolKind.FUNCTION);
    assertThat(create.exported()).isTrue();
    assertThat(create.summary()).isEqualTo("Create a new parser.");
    assertThat(create.line()).isEqualTo(207);
    assertThat(api.symbols()).anyMatch(s -> s.name().equals("TSNode") && s.kind().isType());
    // static functions of a .c file stay inside it
    assertThat(file(sources, "vendor/tree-sitter/lib/src/parser.c").symbols())
        .filteredOn(s -> s.signature().startsWith("static "))
        .isNotEmpty()
        .noneMatch(Symbol::exported);
    assertThat(file(sources, "vendor/tree-sitter/lib/src/parser.c").imports())
        .contains("./language.h");
  }

  @Test
  void signaturesHoldNoCommentsAndNoFieldValues() {
    for (String library : List.of(RealCode.NODE_GYP, RealCode.EDGE_JS, RealCode.RXJS)) {
      assertThat(RealCode.context(library).symbols())
          .as(library)
          .extracting(Symbol::signature)
          .noneMatch(s -> s.matches(".*(^|[\\s,;({])(//|/\\*) .*"));
    }
    // a class field whose value is a whole object reads as its name
    assertThat(
            symbol(RealCode.sources(RealCode.NODE_GYP), "lib/node-gyp.js", "shorthands")
                .signature())
        .isEqualTo("shorthands");
  }

  @Test
  void aCThingDeclaredTwiceIsOneThingWithItsBodyAndItsDocComment() {
    DocContext context = RealCode.context(RealCode.TREE_SITTER);
    // typedef struct Stack Stack; in stack.h, struct Stack { ... } in stack.c
    List<Symbol> stacks =
        context.symbols().stream()
            .filter(s -> s.kind().isType() && s.qualifiedName().endsWith("lib.src.stack.Stack"))
            .toList();
    assertThat(stacks).hasSize(1);
    assertThat(stacks.getFirst().file()).isEqualTo("vendor/tree-sitter/lib/src/stack.c");
    assertThat(stacks.getFirst().kind()).isEqualTo(SymbolKind.STRUCT);
    // prototype with its doc comment in stack.h, definition in stack.c
    List<Symbol> create =
        context.symbols().stream().filter(s -> s.name().equals("ts_stack_new")).toList();
    assertThat(create).hasSize(1);
    assertThat(create.getFirst().summary()).isEqualTo("Create a stack.");
    // a field holding a function is a field of its plain name
    assertThat(context.symbols())
        .filteredOn(s -> s.container().endsWith("lib.src.parser.TSLexer"))
        .extracting(Symbol::name)
        .contains("advance", "lookahead")
        .allMatch(name -> name.matches("\\w+"));
    assertThat(context.symbols())
        .filteredOn(s -> s.container().endsWith("lib.src.parser.TSLanguage"))
        .extracting(Symbol::name)
        .contains("symbol_names", "lex_fn", "external_scanner");
  }

  @Test
  void cppClassesKeepPrivateSectionsPrivate() {
    List<SourceFile> sources = RealCode.sources(RealCode.TREE_SITTER);
    List<Symbol> all = sources.stream().flatMap(s -> s.symbols().stream()).toList();
    assertThat(sources).anyMatch(s -> s.language().equals("cpp"));
    assertThat(all)
        .filteredOn(s -> s.file().endsWith(".cc") || s.file().startsWith("src/"))
        .isNotEmpty();
  }

  @Test
  void csharp() {
    List<SourceFile> sources = RealCode.sources(RealCode.EDGE_JS);
    SourceFile edge = file(sources, "src/double/Edge.js/dotnet/EdgeJs.cs");
    Symbol type =
        edge.symbols().stream().filter(s -> s.name().equals("Edge")).findFirst().orElseThrow();
    assertThat(type.kind()).isEqualTo(SymbolKind.CLASS);
    assertThat(type.exported()).isTrue();
    assertThat(edge.symbols())
        .anySatisfy(
            s -> {
              assertThat(s.name()).isEqualTo("Func");
              assertThat(s.kind()).isEqualTo(SymbolKind.METHOD);
              assertThat(s.container()).isEqualTo(type.qualifiedName());
              assertThat(s.exported()).isTrue();
              assertThat(s.signature()).startsWith("public static Func<object,Task<object>> Func(");
            });
    assertThat(edge.imports()).contains("System");
  }

  private static SourceFile file(List<SourceFile> sources, String path) {
    Optional<SourceFile> file = sources.stream().filter(s -> s.path().equals(path)).findFirst();
    assertThat(file).as(path).isPresent();
    return file.get();
  }

  private static Symbol symbol(List<SourceFile> sources, String path, String name) {
    return file(sources, path).symbols().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + path));
  }
}
