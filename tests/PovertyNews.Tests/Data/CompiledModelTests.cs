using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Tests.Data;

/// <summary>
/// The compiled models in Data/Compiled (made by <c>dotnet ef dbcontext optimize</c>, found by EF Core through their
/// assembly attribute) spare every start the building of the model. They are generated code: a change to an entity or
/// its configuration leaves them describing the old model, and the site would run on it. These tests build the model
/// from <c>OnModelCreating</c> as EF Core would without them and require the two to be the same.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate =
        "The compiled model in src/PovertyNews.Web/Data/Compiled is stale: the model changed since it was generated. Regenerate both "
        + "(see README, Development): `export PATH=$PATH:$HOME/.dotnet/tools; "
        + "dotnet ef dbcontext optimize --project src/PovertyNews.Web --context NewsDbContext --output-dir Data/Compiled/Sqlite --namespace PovertyNews.Web.Data.Compiled.Sqlite; "
        + "dotnet ef dbcontext optimize --project src/PovertyNews.Web --context PostgresNewsDbContext --output-dir Data/Compiled/Postgres --namespace PovertyNews.Web.Data.Compiled.Postgres`";

    public static TheoryData<string> Providers => new() { "Sqlite", "PostgreSql" };

    /// <summary>A context as the site configures it; model building needs no server, so the connection string only has to be well formed.</summary>
    private static NewsDbContext NewContext(string provider)
    {
        if (provider == "Sqlite")
        {
            var options = new DbContextOptionsBuilder<NewsDbContext>();
            SqliteDatabase.Configure(options, "Data Source=:memory:");
            return new NewsDbContext(options.Options);
        }
        var postgres = new DbContextOptionsBuilder<PostgresNewsDbContext>();
        PostgresDatabase.Configure(postgres, "Host=localhost;Database=povertynews_model");
        return new PostgresNewsDbContext(postgres.Options);
    }

    /// <summary>The runtime model EF Core builds from OnModelCreating when there is no compiled model.</summary>
    private static IModel BuiltModel(DbContext db) =>
        db.GetService<IModelRuntimeInitializer>().Initialize(db.GetService<IDesignTimeModel>().Model, designTime: false);

    [Theory]
    [MemberData(nameof(Providers))]
    public void Context_UsesTheCompiledModel(string provider)
    {
        using var db = NewContext(provider);

        Assert.Equal($"PovertyNews.Web.Data.Compiled.{provider.Replace("PostgreSql", "Postgres")}", db.Model.GetType().Namespace);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void CompiledModel_DescribesTheModelOnModelCreatingBuilds(string provider)
    {
        using var db = NewContext(provider);
        if (provider == "Sqlite")
        {
            // As the start's migration check does elsewhere in the process: SqlQuery<T> adds an ad-hoc entity type to
            // the compiled model, which is not a difference.
            Assert.Equal(["x"], db.Database.SqlQueryRaw<string>("SELECT 'x' AS \"Value\"").ToList());
        }
        var compiled = db.Model;
        var built = BuiltModel(db);
        Assert.NotSame(compiled, built);

        AssertSameText(Describe(built), Describe(compiled));
    }

    [Fact]
    public void Describe_SeesAChangedColumn()
    {
        // The comparison above is only worth something if a difference shows: a model with one column changed must
        // not describe like the compiled one.
        var options = new DbContextOptionsBuilder<WiderTitleContext>();
        SqliteDatabase.Configure(options, "Data Source=:memory:");
        using var changed = new WiderTitleContext(options.Options);
        using var db = NewContext("Sqlite");

        Assert.NotEqual(Describe(db.Model), Describe(BuiltModel(changed)));
    }

    private sealed class WiderTitleContext(DbContextOptions<WiderTitleContext> options) : NewsDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder model)
        {
            base.OnModelCreating(model);
            model.Entity<PovertyNews.Web.Domain.Article>().Property(a => a.Title).HasMaxLength(4000);
        }
    }

    /// <summary>
    /// EF Core's own long description of the model and of its tables (columns with their store types), plus what the
    /// descriptions leave out: each property's value converter, provider type, store type and comparers. What only
    /// migrations use (collations, defaults, comments) is not in a runtime model; the migrations' snapshot has it.
    /// </summary>
    private static string Describe(IModel model)
    {
        var text = new StringBuilder();
        // Each entity type on its own: the model's whole description would also list the ad-hoc types that
        // SqlQuery<T> adds to the (process-wide) compiled model as other code runs.
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.AppendLine(entity.ToDebugString(MetadataDebugStringOptions.LongDefault));
        }
        text.AppendLine(model.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.LongDefault));
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            foreach (var property in entity.GetProperties())
            {
                text.AppendLine(string.Join(" | ", entity.Name, property.Name, property.ClrType, property.GetValueConverter()?.GetType(),
                    property.GetProviderClrType(), property.GetRelationalTypeMapping().StoreType, property.GetValueComparer().GetType(),
                    property.GetKeyValueComparer().GetType(), property.IsNullable, property.ValueGenerated, property.IsConcurrencyToken));
            }
        }
        return text.ToString();
    }

    private static void AssertSameText(string expected, string actual)
    {
        if (expected == actual)
        {
            return;
        }
        var (e, a) = (expected.Split('\n'), actual.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
        Assert.Fail($"{Regenerate}\nFirst difference at line {line + 1}:\n  model:    {e.ElementAtOrDefault(line)}\n  compiled: {a.ElementAtOrDefault(line)}");
    }
}
