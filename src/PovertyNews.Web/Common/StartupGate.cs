namespace PovertyNews.Web.Common;

/// <summary>
/// Opens once the site's start is over: the front page has been rendered once. Background work that no answer needs
/// at once (the database's quick_check, the search index's comparison with the articles, the first audit pruning)
/// waits for it, so it does not take one of the machine's cores while the first readers wait for their pages
/// (a quick_check reads the whole file: seconds at a million articles). The start holds the gate
/// (<see cref="Hold"/>) and opens it after its own first render; a host whose start never held it opens it when the
/// host has started, as before.
/// </summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    public StartupGate(IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStarted.Register(() =>
        {
            if (Volatile.Read(ref _held) == 0)
            {
                Open();
            }
        });

    public bool IsOpen => _open.Task.IsCompleted;

    /// <summary>The start opens the gate itself (with <see cref="Open"/>) once its first answer is out.</summary>
    public void Hold() => Volatile.Write(ref _held, 1);

    public void Open() => _open.TrySetResult();

    /// <summary>Completes when the gate is open; cancelled with <paramref name="cancellationToken"/> (the host stopping).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _open.Task.WaitAsync(cancellationToken);
}
