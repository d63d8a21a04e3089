using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace PovertyNews.Web.Data;

/// <summary>
/// A compiled query for each model it runs with. EF Core binds a compiled query to the model of its first run and
/// throws for any other ("executed with a different model"); the site has one model per process, but a process can
/// hold several — the SQLite and the PostgreSQL context side by side in a test run, a benchmark or <c>copy-to</c>.
/// </summary>
public sealed class CompiledPerModel<TQuery> where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();
    private readonly ConditionalWeakTable<IModel, TQuery>.CreateValueCallback _compile;

    public CompiledPerModel(Func<TQuery> compile) => _compile = _ => compile();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _compile);
}
