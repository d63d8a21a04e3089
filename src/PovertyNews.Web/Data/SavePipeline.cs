using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PovertyNews.Web.Data;

/// <summary>When a save interceptor does its work relative to the save's transaction.</summary>
public enum SaveStage
{
    /// <summary>Writes that must commit or roll back with the save (the search index).</summary>
    InTransaction = 0,

    /// <summary>
    /// Inside the save's transaction, after every <see cref="InTransaction"/> interceptor: the audit chain reads the
    /// last link under the write lock, and a transaction it had to begin commits only after theirs did their writes.
    /// </summary>
    InTransactionLast = 1,

    /// <summary>Work that must only see committed data (cache eviction, the portal snapshot going stale).</summary>
    AfterCommit = 2,
}

/// <summary>An interceptor that runs at a declared <see cref="SaveStage"/> of every save.</summary>
public interface ISaveInterceptor : IInterceptor
{
    SaveStage Stage { get; }
}

/// <summary>
/// Every feature's save interceptors in one ordered pipeline. EF Core runs interceptors in the order they were added,
/// and the order matters: the index must write and commit inside the save before the cache evicts, or a reader could
/// render, and the cache keep, a page from before the commit. The order comes from each interceptor's stage, not
/// from the order in which features happened to register.
/// </summary>
public static class SavePipeline
{
    public static IEnumerable<IInterceptor> Ordered(IEnumerable<IInterceptor> interceptors) =>
        interceptors.OrderBy(i => i is ISaveInterceptor staged ? (int)staged.Stage : int.MaxValue);

    /// <summary>Adds every registered <see cref="IInterceptor"/> to the context, staged ones in stage order first.</summary>
    public static DbContextOptionsBuilder AddSavePipeline(this DbContextOptionsBuilder options, IServiceProvider services) =>
        options.AddInterceptors(Ordered(services.GetServices<IInterceptor>()));
}
