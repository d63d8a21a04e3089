using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PovertyNews.Web.Cluster;

/// <summary>
/// Carries changes between the nodes over Redis pub/sub. Each node keeps its cached pages in its own memory and drops
/// them when another node announces a save; the saving node waits until every listening node has confirmed, so the
/// editor's answer means that the next request on any node shows the change.
/// </summary>
/// <remarks>
/// <para>Announcements go to <c>{prefix}:changes</c>; PUBLISH answers how many subscribers received one, and each
/// confirms on <c>{prefix}:confirm:{origin}</c> once its caches are dropped — the saving node too, for its own copy,
/// so the count expected is PUBLISH's answer as it stands, whatever this node believes about its own subscription.</para>
/// <para>Waiting for confirmations and retrying a failed subscription go by the wall clock, not the site's
/// <see cref="TimeProvider"/>: they are network timeouts, and a clock that stands still (a test's) must not make a
/// save wait for ever. The fallback interval is site time, so tests can move it on.</para>
/// <para>Cut off from Redis, a node cannot hear the others: it then drops all its cached pages and its portal snapshot
/// every <see cref="ClusterOptions.FallbackInterval"/> (staleness bounded by that), reports itself degraded, and when
/// Redis returns it drops everything once more (it may have missed announcements) and, if its own announcements were
/// lost meanwhile, tells every node to drop everything.</para>
/// </remarks>
public sealed class RedisClusterBus(
    IConnectionMultiplexer redis,
    LocalCaches caches,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<RedisClusterBus> logger) : BackgroundService, IClusterBus
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ClusterOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, Confirmations> _waiting = new();
    private readonly Lock _state = new();
    private DateTimeOffset? _cutOffSince;
    private bool _announcementLost;
    private volatile bool _subscribed;
    private bool _halfSubscribed;
    private int _subscribeFailures;
    private int _heardOnce;

    /// <summary>How often a node that could not subscribe tries again (wall clock).</summary>
    internal static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(1);

    private RedisChannel Changes => RedisChannel.Literal($"{_options.KeyPrefix}:changes");

    private RedisChannel ConfirmTo(string node) => RedisChannel.Literal($"{_options.KeyPrefix}:confirm:{node}");

    /// <summary>Null while this node hears the others; otherwise since when it has not.</summary>
    public DateTimeOffset? CutOffSince
    {
        get
        {
            lock (_state)
            {
                return _cutOffSince;
            }
        }
    }

    /// <summary>Announcements this node sent and the confirmations that came back; for the status page and tests.</summary>
    public long Announced => Interlocked.Read(ref _announced);

    public long Applied => Interlocked.Read(ref _applied);

    private long _announced;
    private long _applied;

    // Synonyms and ApiKeys last and optional: a message from a node of an earlier version reads as false.
    private sealed record Message(Guid Id, string Origin, string[] Tags, bool Portal, bool SensitiveWords, bool Everything, bool Synonyms = false,
        bool ApiKeys = false);

    /// <summary>Confirmations may arrive before PUBLISH has said how many to expect; whichever comes last completes.</summary>
    private sealed class Confirmations
    {
        private int _received;
        private int _expected = -1;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Received => Volatile.Read(ref _received);

        public void One()
        {
            var received = Interlocked.Increment(ref _received);
            var expected = Volatile.Read(ref _expected);
            if (expected >= 0 && received >= expected)
            {
                Done.TrySetResult();
            }
        }

        public void Expect(int count)
        {
            Interlocked.Exchange(ref _expected, count);
            if (Volatile.Read(ref _received) >= count)
            {
                Done.TrySetResult();
            }
        }
    }

    public async Task AnnounceAsync(ClusterChange change, CancellationToken ct)
    {
        if (change.IsEmpty)
        {
            return;
        }
        var message = new Message(Guid.NewGuid(), _options.Node, change.Tags, change.Portal, change.SensitiveWords, change.Everything,
            change.Synonyms, change.ApiKeys);
        // Registered before publishing: a fast node may confirm before PUBLISH has answered.
        var confirmations = new Confirmations();
        _waiting[message.Id] = confirmations;
        try
        {
            var receivers = (int)await redis.GetSubscriber().PublishAsync(Changes, JsonSerializer.Serialize(message, Json));
            Interlocked.Increment(ref _announced);
            if (receivers <= 0)
            {
                return;
            }
            // Every subscriber confirms, this node included (it counts its own copy when it hears it).
            confirmations.Expect(receivers);
            try
            {
                await confirmations.Done.Task.WaitAsync(_options.ConfirmTimeout, TimeProvider.System, ct);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Change {ChangeId} was confirmed by {Confirmed} of the {Receivers} subscribers that heard it within {Timeout}; the others catch up on their own",
                    message.Id, confirmations.Received, receivers, _options.ConfirmTimeout);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The save is committed and announced; only its caller stopped waiting.
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            lock (_state)
            {
                _announcementLost = true;
            }
            logger.LogWarning(e, "Could not announce change {ChangeId} (tags {Tags}) to the other nodes: Redis unreachable; they catch up when it returns",
                message.Id, change.Tags);
        }
        finally
        {
            _waiting.TryRemove(message.Id, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        // Until its first subscription a node hears nothing the others announce, even with Redis connected: it
        // counts as cut off from its first moment, so what it caches meanwhile is dropped by the loop below and once
        // more when it starts listening.
        lock (_state)
        {
            _cutOffSince ??= time.GetUtcNow();
        }
        if (!redis.IsConnected)
        {
            logger.LogWarning("Node {Node} cannot reach Redis at start: it drops its cached pages every {Interval} until Redis is there",
                _options.Node, _options.FallbackInterval);
        }
        var listening = ListenAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (CutOffSince is not null)
                    {
                        await caches.DropAsync(ClusterChange.All, stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed round must not end the loop (a background service that throws stops the host).
                    logger.LogError(e, "Node {Node} could not drop its caches while cut off; trying again in {Interval}",
                        _options.Node, _options.FallbackInterval);
                }
                await Task.Delay(_options.FallbackInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
            await listening;
        }
    }

    /// <summary>
    /// Subscribes once both channels answer; the client then keeps the subscriptions across reconnects by itself.
    /// </summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        try
        {
            while (!_subscribed && !ct.IsCancellationRequested)
            {
                await TrySubscribeAsync();
                if (!_subscribed)
                {
                    await Task.Delay(SubscribeRetry, TimeProvider.System, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task TrySubscribeAsync()
    {
        var subscriber = redis.GetSubscriber();
        try
        {
            if (_halfSubscribed)
            {
                // A SUBSCRIBE that timed out may still have reached Redis and left a handler here: start clean, or
                // every announcement would be handled twice.
                await subscriber.UnsubscribeAsync(ConfirmTo(_options.Node));
                await subscriber.UnsubscribeAsync(Changes);
            }
            _halfSubscribed = true;
            // Confirmations first: once this node is counted among the receivers, it must hear the confirmations.
            (await subscriber.SubscribeAsync(ConfirmTo(_options.Node))).OnMessage(OnConfirm);
            (await subscriber.SubscribeAsync(Changes)).OnMessage(OnChangeAsync);
            _halfSubscribed = false;
            _subscribed = true;
            logger.LogInformation("Node {Node} listens for changes on {Channel}", _options.Node, Changes.ToString());
            HearAgain();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Once as a warning; while Redis stays away the cut-off warning already says so.
            logger.Log(_subscribeFailures++ == 0 ? LogLevel.Warning : LogLevel.Debug, e,
                "Node {Node} could not subscribe to {Channel}; trying again every {Retry}", _options.Node, Changes.ToString(), SubscribeRetry);
        }
    }

    private async Task OnChangeAsync(ChannelMessage received)
    {
        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>((string)received.Message!, Json);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignored an unreadable announcement on {Channel}", received.Channel.ToString());
            return;
        }
        if (message is null)
        {
            return;
        }
        if (message.Origin == _options.Node)
        {
            // Its own caches were dropped before it announced; hearing its own copy is its confirmation.
            Confirm(message.Id);
            return;
        }
        await caches.DropAsync(new ClusterChange(message.Tags ?? [], message.Portal, message.SensitiveWords, message.Everything, message.Synonyms, message.ApiKeys),
            CancellationToken.None);
        Interlocked.Increment(ref _applied);
        logger.LogDebug("Applied change {ChangeId} from {Origin}: tags {Tags}", message.Id, message.Origin, message.Tags);
        try
        {
            await redis.GetSubscriber().PublishAsync(ConfirmTo(message.Origin), message.Id.ToString("N"), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogDebug(e, "Could not confirm change {ChangeId} to {Origin}", message.Id, message.Origin);
        }
    }

    private void OnConfirm(ChannelMessage received)
    {
        if (Guid.TryParseExact((string)received.Message!, "N", out var id))
        {
            Confirm(id);
        }
    }

    private void Confirm(Guid id)
    {
        if (_waiting.TryGetValue(id, out var confirmations))
        {
            confirmations.One();
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            MarkCutOff($"{e.FailureType} at {e.EndPoint}");
        }
    }

    private void MarkCutOff(string why)
    {
        lock (_state)
        {
            if (_cutOffSince is not null)
            {
                return;
            }
            _cutOffSince = time.GetUtcNow();
        }
        logger.LogWarning("Node {Node} is cut off from the other nodes ({Reason}): it drops its cached pages every {Interval} until Redis returns",
            _options.Node, why, _options.FallbackInterval);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            HearAgain();
        }
    }

    /// <summary>
    /// Ends a cut-off: on a restored subscription connection, and when the first subscription succeeds. The client
    /// raises no "restored" event for a first connection that was still being made when the node started (on a busy
    /// machine it can take longer than the connect timeout): without the second call, such a node stayed cut off,
    /// dropping its caches every fallback interval, although it heard the other nodes.
    /// </summary>
    private void HearAgain()
    {
        if (!_subscribed)
        {
            // A connection restored before the first subscription: the node still hears nothing.
            return;
        }
        DateTimeOffset? since;
        bool lost;
        lock (_state)
        {
            since = _cutOffSince;
            lost = _announcementLost;
            _cutOffSince = null;
            _announcementLost = false;
        }
        if (since is null)
        {
            return;
        }
        if (Interlocked.Exchange(ref _heardOnce, 1) == 0)
        {
            logger.LogInformation("Node {Node} hears the other nodes {Wait} after it started; dropping what it cached before",
                _options.Node, time.GetUtcNow() - since.Value);
        }
        else
        {
            logger.LogInformation("Node {Node} hears the other nodes again after {Outage}; dropping what it may have missed",
                _options.Node, time.GetUtcNow() - since.Value);
        }
        _ = CatchUpAsync(lost);
    }

    private async Task CatchUpAsync(bool announcementLost)
    {
        try
        {
            await caches.DropAsync(ClusterChange.All, CancellationToken.None);
            if (announcementLost)
            {
                // Changes saved here while cut off never reached the others: they start over too.
                await AnnounceAsync(ClusterChange.All, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Catching up after Redis returned failed");
        }
    }
}
