using Mono.Cecil;
using NetArchTest.Rules;

namespace PovertyNews.Tests.Architecture;

/// <summary>
/// The layers of the app, from the bottom: the text libraries (Text, Markdown) depend on nothing of the app; Domain on
/// Text only; Data on Domain; Common (the vocabulary every feature shares) on Domain and Data. Features (reading,
/// search, media, content import, newsroom) build on those and use one another only through interfaces; inside a
/// feature its parts depend on each other without cycles. Pages, start-up, commands and operations (the host) may use
/// anything.
/// </summary>
public sealed class LayerTests
{
    private const string App = "PovertyNews.Web";

    private static readonly System.Reflection.Assembly Assembly = typeof(PovertyNews.Web.Domain.Article).Assembly;

    /// <summary>Namespaces (below <see cref="App"/>) that make up each feature; the first is its root.</summary>
    private static readonly Dictionary<string, string[]> Features = new()
    {
        ["Reading"] = ["Reading", "Caching", "Feeds"],
        ["Search"] = ["Search"],
        ["Media"] = ["Media"],
        ["Content"] = ["Import", "Generate"],
        // 留言 are moderated by the newsroom's desks with its word list: a part of the newsroom under its own name.
        ["Newsroom"] = ["Newsroom", "Comments"],
        ["Webhooks"] = ["Webhooks"],
    };

    private static readonly string[] Below = ["Text", "Markdown", "Domain", "Data", "Common"];

    /// <summary>
    /// The host: pages and the read API (both present what the features hold), start-up and commands, and operations
    /// (backup, health, metrics, status), which look across every feature the way an operator does. Nothing below or in a feature may depend on them.
    /// </summary>
    private static readonly string[] Host = ["Infrastructure", "Operations", "Pages", "Api"];

    /// <summary>The host's types in the app's root namespace (a namespace test on it would match everything).</summary>
    private static readonly string[] HostTypes = [$"{App}.Extensions", $"{App}.PovertyNewsOptions", "Program"];

    private static string[] Namespaces(params string[] names) => names.Select(n => $"{App}.{n}").ToArray();

    private static string[] EverythingBut(params string[] allowed) =>
        Namespaces([.. Below.Concat(Features.Values.SelectMany(f => f)).Concat(Host).Except(allowed)])
            .Concat(HostTypes).ToArray();

    private static void AssertNoDependency(string layer, string[] forbidden)
    {
        var result = Types.InAssembly(Assembly).That().ResideInNamespace($"{App}.{layer}")
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{layer} reaches above itself: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [InlineData("Text")]
    [InlineData("Markdown")]
    public void TextLibraries_DependOnNothingInTheApp(string library) => AssertNoDependency(library, EverythingBut(library));

    [Fact]
    public void Domain_DependsOnTheTextLibraryOnly() => AssertNoDependency("Domain", EverythingBut("Domain", "Text"));

    [Fact]
    public void Data_DependsOnTheDomainOnly() => AssertNoDependency("Data", EverythingBut("Data", "Domain", "Text"));

    [Fact]
    public void Common_DependsOnDomainAndDataOnly() => AssertNoDependency("Common", EverythingBut("Common", "Data", "Domain", "Text"));

    [Fact]
    public void Features_DependOnNoHost() =>
        Assert.All(Features.Values.SelectMany(f => f), ns => AssertNoDependency(ns, [.. Namespaces(Host), .. HostTypes]));

    [Fact]
    public void Features_UseOneAnotherOnlyThroughInterfaces()
    {
        var offences = References()
            .Where(r => FeatureOf(r.From) is { } from && FeatureOf(r.To) is { } to && from != to && !r.To.Resolve().IsInterface)
            .Select(r => $"{Short(r.From)} uses {Short(r.To)}")
            .Distinct().Order().ToList();
        Assert.True(offences.Count == 0, "A feature reaches into another's classes:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void FeatureParts_DependOnEachOtherWithoutCycles()
    {
        // A part is a namespace inside a feature; the feature's root namespace, which only registers the parts and
        // holds the options they share, is left out.
        var edges = References()
            .Select(r => (From: Part(r.From), To: Part(r.To), Example: $"{Short(r.From)} → {Short(r.To)}"))
            .Where(e => e.From is not null && e.To is not null && e.From != e.To
                && FeatureOf(e.From) is { } feature && feature == FeatureOf(e.To) && !IsFeatureRoot(e.From) && !IsFeatureRoot(e.To))
            .GroupBy(e => (e.From!, e.To!))
            .ToDictionary(g => g.Key, g => g.First().Example);

        var cycles = edges.Keys.Where(e => Reaches(edges.Keys, e.Item2, e.Item1))
            .Select(e => $"{e.Item1} → {e.Item2} (e.g. {edges[e]}) and back").Order().ToList();
        Assert.True(cycles.Count == 0, "Parts of a feature depend on each other in a cycle:\n" + string.Join("\n", cycles));
    }

    private static bool Reaches(ICollection<(string, string)> edges, string from, string to)
    {
        var seen = new HashSet<string> { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var node))
        {
            if (node == to)
            {
                return true;
            }
            foreach (var next in edges.Where(e => e.Item1 == node).Select(e => e.Item2).Where(seen.Add))
            {
                queue.Enqueue(next);
            }
        }
        return false;
    }

    private static string? FeatureOf(TypeReference type) => FeatureOf(Part(type));

    private static string? FeatureOf(string? part) =>
        part is null ? null : Features.FirstOrDefault(f => f.Value.Any(ns => part == ns || part.StartsWith(ns + ".", StringComparison.Ordinal))).Key;

    private static bool IsFeatureRoot(string part) => part == "Newsroom";

    /// <summary>The namespace below the app's, for a type of the app (nested types count as their outer type's).</summary>
    private static string? Part(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type.Namespace.StartsWith(App + ".", StringComparison.Ordinal) ? type.Namespace[(App.Length + 1)..] : null;
    }

    private static string Short(TypeReference type) => type.FullName.Replace(App + ".", "", StringComparison.Ordinal);

    private sealed record Reference(TypeReference From, TypeReference To);

    private static readonly Lazy<List<Reference>> AllReferences = new(() =>
    {
        using var module = ModuleDefinition.ReadModule(Assembly.Location);
        var references = new List<Reference>();
        foreach (var type in module.GetTypes())
        {
            var from = Outer(type);
            references.AddRange(ReferencedBy(type).Select(Outer).Where(t => t.Scope == module || t.Module == module)
                .Distinct().Select(to => new Reference(from, to)));
        }
        return references;
    });

    private static List<Reference> References() => AllReferences.Value;

    private static TypeReference Outer(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type;
    }

    /// <summary>Every type a type names: base, interfaces, members' signatures, locals and the operands of its code.</summary>
    private static IEnumerable<TypeReference> ReferencedBy(TypeDefinition type)
    {
        IEnumerable<TypeReference> Expand(TypeReference? t) => t switch
        {
            null => [],
            GenericInstanceType g => Expand(g.ElementType).Concat(g.GenericArguments.SelectMany(Expand)),
            TypeSpecification s => Expand(s.ElementType),
            GenericParameter => [],
            _ => [t],
        };

        var signatures = new[] { type.BaseType }.Concat(type.Interfaces.Select(i => i.InterfaceType))
            .Concat(type.Fields.Select(f => f.FieldType))
            .Concat(type.Properties.Select(p => p.PropertyType))
            .Concat(type.Methods.SelectMany(m => m.Parameters.Select(p => p.ParameterType).Append(m.ReturnType)));
        var code = type.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Variables.Select(v => v.VariableType)
            .Concat(m.Body.Instructions.Select(i => i.Operand switch
            {
                TypeReference t => t,
                MemberReference member => member.DeclaringType,
                _ => null,
            })));
        return signatures.Concat(code).SelectMany(Expand);
    }
}
