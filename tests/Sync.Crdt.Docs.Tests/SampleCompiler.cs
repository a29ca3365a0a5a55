using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sync.Crdt.Docs.Tests;

/// <summary>
/// Compiles a sample as a program of top-level statements against the platform (the ASP.NET Core shared framework
/// included) and every assembly beside the tests (the Sync.Crdt packages and their dependencies). The document's
/// context becomes members of the <c>Program</c> class the statements run in. A sample without statements (only type
/// declarations, for example a test class) is compiled as a library, since it has no entry point.
/// </summary>
public static class SampleCompiler
{
    private const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Sync.Crdt;
        global using Sync.Crdt.Causality;
        global using Sync.Crdt.Client;
        global using Sync.Crdt.Counters;
        global using Sync.Crdt.Encoding;
        global using Sync.Crdt.Maps;
        global using Sync.Crdt.Protocol;
        global using Sync.Crdt.Registers;
        global using Sync.Crdt.Replication;
        global using Sync.Crdt.Replication.Encoding;
        global using Sync.Crdt.Replication.Storage;
        global using Sync.Crdt.Server;
        global using Sync.Crdt.Sets;
        global using Sync.Crdt.Storage.Postgres;
        global using Sync.Crdt.Storage.Sqlite;
        global using Sync.Crdt.Text;
        global using Sync.Ot;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Returns the compiler errors of <paramref name="code"/> (empty when it compiles).</summary>
    public static IReadOnlyList<Diagnostic> Errors(string code, string context, string path, int line)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        string program = $"#line {line} \"{path}\"\n{code}";
        string members = $"partial class Program\n{{\n#line hidden\n{string.Join('\n', context.Split('\n').Where(l => !l.TrimStart().StartsWith("using ", StringComparison.Ordinal)))}\n}}\n";
        string extraUsings = string.Join('\n', context.Split('\n').Where(l => l.TrimStart().StartsWith("using ", StringComparison.Ordinal)).Select(l => "global " + l.Trim()));
        SyntaxTree sample = CSharpSyntaxTree.ParseText(program, parse, path: path);
        bool hasStatements = ((Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)sample.GetRoot()).Members.Any(m => m is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax);
        SyntaxTree[] trees =
        [
            sample,
            CSharpSyntaxTree.ParseText(Usings + "\n" + extraUsings, parse, path: "usings.cs"),
            CSharpSyntaxTree.ParseText(members, parse, path: path + ".context.cs"),
        ];
        CSharpCompilation compilation = CSharpCompilation.Create(
            "DocSample",
            trees,
            References.Value,
            new CSharpCompilationOptions(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string platform = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        foreach (string file in platform.Split(Path.PathSeparator))
        {
            byName.TryAdd(Path.GetFileName(file), file);
        }

        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            byName.TryAdd(Path.GetFileName(file), file);
        }

        return [.. byName.Values.Where(IsManaged).Select(file => (MetadataReference)MetadataReference.CreateFromFile(file))];
    }

    private static bool IsManaged(string file)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
