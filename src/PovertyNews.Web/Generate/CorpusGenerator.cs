using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Import;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Generate;

/// <summary>What the generate command was asked for.</summary>
/// <param name="Count">Articles to add.</param>
/// <param name="Seed">Fixes the text and every other choice: the same seed gives the same articles.</param>
/// <param name="Batch">Rows per transaction.</param>
/// <param name="ContentFolder">The content/ folder whose articles the text model learns from.</param>
public sealed record GenerateOptions(int Count, int Seed, int Batch, string ContentFolder)
{
    public const int DefaultBatch = 20_000;
}

/// <summary>The generator cannot run against this database or content; the message says why and what to do.</summary>
public sealed class GenerateException(string message) : Exception(message);

public sealed record GenerateResult(int Inserted, int FirstNumber, TimeSpan InsertTime, int? Indexed, TimeSpan? IndexTime, long? DatabaseBytes)
{
    public double Rate => Inserted / Math.Max(InsertTime.TotalSeconds, 1e-9);
}

/// <summary>
/// Fills the database with synthetic Chinese news for load and search testing: <see cref="MarkovText"/> trained on
/// the sample articles writes the text, <see cref="ArticleFactory"/> the rest of each article, and
/// <see cref="ArticleInserter"/> writes them in large transactions while the next ones are being generated on
/// another thread. Then the search index is rebuilt.
/// </summary>
/// <remarks>
/// Slugs are <c>gen-{seed}-{n}</c>. A run starts after the highest n already in the database for its seed, so
/// running twice with the same seed adds new articles instead of failing on duplicate slugs.
/// A database without channels gets the sample content imported first, exactly as the first start of the site
/// would do, so generated articles have channels and tags to go to.
/// </remarks>
public sealed class CorpusGenerator(NewsDbContext db, ContentImporter importer, TimeProvider time, ISearchIndex? searchIndex)
{
    /// <summary>Context of the text model: three characters read clearly and still recombine the samples' sentences.</summary>
    public const int TextOrder = 3;

    private const int ChunkSize = 250;
    private const int QueuedChunks = 4;

    /// <summary>COPY streams into PostgreSQL at once (see <see cref="InsertAsync"/>).</summary>
    private const int PostgresWriters = 2;

    public async Task<GenerateResult> RunAsync(GenerateOptions options, TextWriter output, TextWriter progress, bool redraw,
        CancellationToken ct = default)
    {
        var sample = SampleText.Load(options.ContentFolder);
        if (sample.Sentences.Count == 0)
        {
            throw new GenerateException(
                $"no sample articles to learn from in {Path.Combine(options.ContentFolder, "articles")} / 没有可供学习的示例文章");
        }
        var model = MarkovText.Train(sample.Sentences, TextOrder);

        if (!await db.Channels.AnyAsync(ct))
        {
            await output.WriteLineAsync($"the database has no channels: importing {options.ContentFolder} first, as the site's first start would");
            var report = await importer.ImportAsync(options.ContentFolder, ct);
            await output.WriteLineAsync($"imported {report.ChannelsAdded.Count} channels and {report.Added.Count} articles");
        }
        var channels = await db.Channels.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Slug, c.Name, c.IsHidden }).ToListAsync(ct);
        if (channels.Count == 0)
        {
            throw new GenerateException(
                $"the database has no channels and {options.ContentFolder} defines none (channels.yml) / 数据库中没有栏目");
        }
        var videoChannels = channels.Where(c => c.Slug == "shipin" || c.Name.Contains("视频", StringComparison.Ordinal)).Select(c => c.Id).ToList();
        var articleChannels = channels.Where(c => !c.IsHidden && !videoChannels.Contains(c.Id)).Select(c => c.Id).ToList();
        if (articleChannels.Count == 0)
        {
            articleChannels = channels.Select(c => c.Id).ToList();
        }
        if (videoChannels.Count == 0)
        {
            videoChannels = articleChannels;
        }
        var tags = await db.Tags.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);

        var now = time.GetUtcNow().UtcDateTime;
        var scope = new GenerationScope(articleChannels, videoChannels, tags, now.AddYears(-10), now);

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var first = await NextNumberAsync(connection, options.Seed, ct);
            if (first > int.MaxValue - options.Count + 1)
            {
                throw new GenerateException($"seed {options.Seed} has no numbers left for {options.Count:N0} more articles; use another seed");
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"generating {options.Count:N0} articles {ArticleFactory.Slug(options.Seed, first)} … {ArticleFactory.Slug(options.Seed, first + options.Count - 1)} into {channels.Count} channels with {tags.Count} tags"));

            TimeSpan insertTime;
            // The bulk-load settings end with the inserts: the index rebuild writes through EF Core as usual.
            await using (var bulk = connection is NpgsqlConnection npgsql
                             ? await PostgresBulkLoad.BeginAsync(npgsql, ["Articles", "ArticleTags"], options.Count, ct)
                             : await SqliteDatabase.BeginBulkLoadAsync(connection, ["Articles", "ArticleTags"], options.Count, ct))
            {
                if (bulk.Description is { } how)
                {
                    await output.WriteLineAsync(how);
                }
                insertTime = await InsertAsync(connection, bulk, new ArticleFactory(model, sample, scope, options.Seed), first,
                    options, new ProgressBar(progress, "insert", redraw), output, ct);
            }
            var result = new GenerateResult(options.Count, first, insertTime, null, null, null);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"inserted {result.Inserted:N0} articles in {insertTime.TotalSeconds:0.0} s ({result.Rate:N0}/s)"));

            if (searchIndex is null)
            {
                await output.WriteLineAsync("search index not rebuilt; run reindex");
            }
            else
            {
                var bar = new ProgressBar(progress, "index ", redraw);
                var watch = Stopwatch.StartNew();
                var indexed = await searchIndex.RebuildAsync(db, bar, ct);
                watch.Stop();
                bar.Complete();
                result = result with { Indexed = indexed, IndexTime = watch.Elapsed };
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"indexed {indexed:N0} articles in {watch.Elapsed.TotalSeconds:0.0} s ({indexed / Math.Max(watch.Elapsed.TotalSeconds, 1e-9):N0}/s)"));
            }

            // Measuring the file first copies what is left of the write-ahead log into it; that takes a moment too.
            var checkpoint = Stopwatch.StartNew();
            if (connection is NpgsqlConnection postgres)
            {
                var size = await PostgresSizes.DatabaseBytesAsync(postgres, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"database size: {size / (1024.0 * 1024 * 1024):0.00} GiB ({size:N0} bytes) {postgres.Database} on {postgres.Host}:{postgres.Port}"));
                return result with { DatabaseBytes = size };
            }
            var bytes = await SqliteDatabase.FileSizeAsync(connection, ct);
            if (bytes is { } fileSize)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"database size: {fileSize / (1024.0 * 1024 * 1024):0.00} GiB ({fileSize:N0} bytes, final checkpoint {checkpoint.Elapsed.TotalSeconds:0.0} s) {connection.DataSource}"));
            }
            return result with { DatabaseBytes = bytes };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One more than the highest n of the slugs gen-{seed}-{n} already in the database (1 if none).</summary>
    internal static async Task<int> NextNumberAsync(DbConnection connection, int seed, CancellationToken ct)
    {
        var prefix = $"gen-{seed.ToString(CultureInfo.InvariantCulture)}-";
        await using var command = connection.CreateCommand();
        // A range on the unique slug index rather than LIKE, which SQLite cannot run on that index.
        // '.' is the character after '-', so the range holds exactly the slugs that start with the prefix.
        command.CommandText = """SELECT "Slug" FROM "Articles" WHERE "Slug" >= @from AND "Slug" < @to""";
        AddParameter(command, "@from", prefix);
        AddParameter(command, "@to", prefix[..^1] + ".");
        var max = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var slug = reader.GetString(0);
            if (int.TryParse(slug.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > max)
            {
                max = n;
            }
        }
        return max + 1;
    }

    /// <summary>
    /// Generates on one thread and writes on another, so the two halves of the work overlap on two cores. Both are
    /// dedicated threads rather than pool tasks: they run flat out for the whole load, on blocking database calls.
    /// On PostgreSQL <see cref="PostgresWriters"/> threads write, each on a connection of its own: the server's work
    /// per row is the larger half there, and two COPY streams got about half as much again through the server as one.
    /// Their ids are reserved for the whole run first (<see cref="PostgresIdentity.Reserve"/>), and each article's id
    /// follows from its number, so they are the same ids whichever writer takes it.
    /// Returns the time from the start to the last commit, and the load's finishing work after it (re-created indexes).
    /// </summary>
    private static async Task<TimeSpan> InsertAsync(DbConnection connection, BulkLoad bulk, ArticleFactory factory, int first,
        GenerateOptions options, ProgressBar bar, TextWriter output, CancellationToken ct)
    {
        var count = options.Count;
        using var queue = new BlockingCollection<ArticleRow[]>(QueuedChunks);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = Stopwatch.StartNew();
        int? firstId = connection is NpgsqlConnection ? PostgresIdentity.Reserve(connection, "Articles", count) : null;

        // Whichever thread fails first stops the others: a writer must not commit the last batch of an unfinished
        // run, and the generator must not wait forever on a full queue nobody reads any more.
        var generated = RunThread("generate-text", stop, () =>
        {
            try
            {
                var rows = new ArticleRows(connection);
                for (var start = 0; start < count; start += ChunkSize)
                {
                    var chunk = new ArticleRow[Math.Min(ChunkSize, count - start)];
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        chunk[i] = rows.Row(factory.Create(first + start + i, start + i, count));
                        if (firstId is { } id)
                        {
                            chunk[i].Values[0] = id + start + i;
                        }
                    }
                    queue.Add(chunk, stop.Token);
                }
            }
            catch
            {
                stop.Cancel(); // before the queue says it is complete
                throw;
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        var done = 0;
        // A load that has to be one transaction (SqliteBulkLoad dropping indexes) says so; otherwise the batch asked for.
        var batch = bulk.RowsPerTransaction ?? options.Batch;
        void Write(DbConnection writing, IArticleWriter inserter, BulkLoad load)
        {
            DbTransaction? transaction = null;
            var started = false;
            var inBatch = 0;
            try
            {
                foreach (var chunk in queue.GetConsumingEnumerable(stop.Token))
                {
                    foreach (var article in chunk)
                    {
                        if (transaction is null)
                        {
                            transaction = writing.BeginTransaction();
                            if (!started)
                            {
                                load.Started(transaction);
                                started = true;
                            }
                            inserter.Begin(transaction);
                        }
                        inserter.Insert(article);
                        if (++inBatch == batch)
                        {
                            inserter.End();
                            transaction.Commit();
                            transaction.Dispose();
                            transaction = null;
                            inBatch = 0;
                            load.Committed();
                        }
                    }
                    bar.Report(Interlocked.Add(ref done, chunk.Length), count);
                }
                stop.Token.ThrowIfCancellationRequested();
                inserter.End();
                if (transaction is not null)
                {
                    // Inside the last transaction, so that a failure here rolls back with it (dropped indexes come back).
                    load.Finishing(transaction);
                    transaction.Commit();
                }
            }
            finally
            {
                if (transaction is not null)
                {
                    inserter.Abort(); // a COPY in progress has to end before the transaction can roll back
                }
                transaction?.Dispose(); // rolls back an unfinished batch
            }
        }

        var writers = new List<Task>();
        var extra = new List<(DbConnection Connection, BulkLoad Settings)>();
        try
        {
            if (firstId is null)
            {
                writers.Add(RunThread("generate-write", stop, () =>
                {
                    using var inserter = new ArticleInserter(connection);
                    Write(connection, inserter, bulk);
                }));
            }
            else
            {
                var connections = new List<DbConnection> { connection };
                for (var i = 1; i < PostgresWriters; i++)
                {
                    // Clone keeps the password, which the opened connection's string no longer shows.
                    var clone = (NpgsqlConnection)((ICloneable)connection).Clone();
                    await clone.OpenAsync(ct);
                    extra.Add((clone, await PostgresBulkLoad.BeginAsync(clone, [], 0, ct)));
                    connections.Add(clone);
                }
                for (var i = 0; i < connections.Count; i++)
                {
                    var writing = connections[i];
                    writers.Add(RunThread($"generate-write-{i + 1}", stop, () =>
                    {
                        using var inserter = new PostgresArticleInserter(writing);
                        Write(writing, inserter, new BulkLoad());
                    }));
                }
            }
            await Task.WhenAll([generated, .. writers]);
            bar.Complete();
            // Part of the load's time: indexes dropped for it are re-created here, on the writers' connections.
            await bulk.FinishAsync([connection, .. extra.Select(e => e.Connection)], output, ct);
        }
        finally
        {
            // Failed before every thread was waited for (a connection that would not open, say): they stop first,
            // before the queue and the token they use are disposed. Their own failures are the ones already thrown.
            stop.Cancel();
            try
            {
                await Task.WhenAll([generated, .. writers]);
            }
            catch (Exception)
            {
            }
            bar.Complete();
            foreach (var (writing, settings) in extra)
            {
                await settings.DisposeAsync();
                await writing.DisposeAsync();
            }
        }
        watch.Stop();
        return watch.Elapsed;
    }

    /// <summary>Runs <paramref name="work"/> on a thread of its own; if it fails, cancels <paramref name="stop"/>.</summary>
    private static Task RunThread(string name, CancellationTokenSource stop, Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                stop.Cancel();
                done.SetException(e);
            }
        })
        {
            Name = name,
            IsBackground = true,
        };
        thread.Start();
        return done.Task;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
