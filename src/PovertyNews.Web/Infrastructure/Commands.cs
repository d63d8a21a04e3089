using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Import;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Operations.Backup;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// Command-line verbs run instead of the web server: <c>dotnet run --project src/PovertyNews.Web -- import content</c>,
/// <c>… -- create-user --email a@b.c --role 编辑</c>, <c>… -- generate --count 100000 --seed 1</c>, <c>… -- backup site.zip</c>.
/// Exit codes: 0 done, 1 refused input (rejected files, password rules, nothing to generate from), 2 usage errors.
/// </summary>
public static class Commands
{
    public const string CreateUserUsage =
        """
        usage: create-user --email <address> --role <role> [--role <role> ...] [--name <display name>]
          roles: Administrator (管理员), EditorInChief (总编辑), Editor (编辑), Reporter (记者)
          The password is read from standard input (one line), never from the command line.
          密码从标准输入读取（一行），不接受命令行参数。
        """;

    public const string GenerateUsage =
        """
        usage: generate --count <n> --seed <s> [--batch <rows>] [--content <folder>] [--no-index]
          Adds <n> synthetic Chinese articles (slugs gen-<s>-1, gen-<s>-2, …) written by a text model trained on
          the sample articles, then rebuilds the search index. The same seed gives the same articles; a second run
          with a seed already used continues its numbering. --batch: rows per transaction (default 20000).
          --content: the content folder to learn from (default: the configured or the repository's content/),
          also imported first when the database has no channels yet. --no-index: leave the search index for a
          later `reindex`.
          生成合成新闻稿件，用于压力测试和搜索测试。
        """;

    public const string AuditUsage =
        """
        usage: audit verify
          Checks the audit log's hash chain from its start (or its pruning anchor) to the newest entry.
          Exit code 0: intact (prints the head's sequence and hash, to note down); 1: broken (prints the first
          broken entry's id and what is wrong).
          校验审计日志的哈希链。
        """;

    private static readonly string[] Verbs = ["import", "create-user", "reindex", "generate", "audit", "backup", "restore", "media-cleanup", "copy-to", "make-sample-video"];

    /// <summary>The verb in <paramref name="args"/>, if any; the web host must not see it as configuration.</summary>
    public static string? Find(string[] args) =>
        args.Length > 0 && Verbs.Contains(args[0], StringComparer.OrdinalIgnoreCase) ? args[0].ToLowerInvariant() : null;

    public static Task<int> RunAsync(WebApplication app, string verb, string[] args) =>
        RunAsync(app.Services, verb, args, Console.In, Console.Out, Console.Error, interactive: !Console.IsInputRedirected,
            errorIsTerminal: !Console.IsErrorRedirected);

    /// <summary>
    /// Runs <paramref name="verb"/> (with <paramref name="args"/>[0] being the verb) against the app's services.
    /// <paramref name="interactive"/>: standard input is a terminal, so prompt and read the password without echo.
    /// <paramref name="errorIsTerminal"/>: progress bars on <paramref name="error"/> may redraw their line.
    /// </summary>
    public static async Task<int> RunAsync(IServiceProvider services, string verb, string[] args,
        TextReader input, TextWriter output, TextWriter error, bool interactive = false, bool errorIsTerminal = false)
    {
        switch (verb)
        {
            case "import":
                if (args.Length < 2)
                {
                    await error.WriteLineAsync("usage: import <folder>");
                    return 2;
                }
                return await ImportAsync(services, Path.GetFullPath(args[1]), output, error);
            case "create-user":
                return await CreateUserAsync(services, args.Skip(1).ToArray(), input, output, error, interactive);
            case "reindex":
                return await ReindexAsync(services, output, error, errorIsTerminal);
            case "generate":
                return await GenerateAsync(services, args.Skip(1).ToArray(), output, error, errorIsTerminal);
            case "audit":
                if (args.Length != 2 || !args[1].Equals("verify", StringComparison.OrdinalIgnoreCase))
                {
                    await error.WriteLineAsync(AuditUsage);
                    return 2;
                }
                return await VerifyAuditAsync(services, output, error);
            case "media-cleanup":
                return await Operations.MediaCleanup.MediaCleanupCommand.RunAsync(services, args.Skip(1).ToArray(), output, error);
            case "make-sample-video":
                return await SampleVideo.RunAsync(args.Skip(1).ToArray(), output, error);
            case "copy-to":
                return await Operations.Move.CopyToCommand.RunAsync(services, args.Skip(1).ToArray(), output, error, errorIsTerminal);
            case "backup":
            case "restore":
                return await BackupCommands.RunAsync(services, verb, args.Skip(1).ToArray(), output, error);
            default:
                await error.WriteLineAsync($"unknown command '{verb}'");
                return 2;
        }
    }

    private static async Task<int> ImportAsync(IServiceProvider services, string folder, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(folder))
        {
            await error.WriteLineAsync($"import: folder '{folder}' does not exist");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider);
        var report = await scope.ServiceProvider.GetRequiredService<ContentImporter>().ImportAsync(folder);

        foreach (var slug in report.ChannelsAdded)
        {
            await output.WriteLineAsync($"channel added: {slug}");
        }
        foreach (var file in report.Added)
        {
            await output.WriteLineAsync($"added:     {file}");
        }
        foreach (var file in report.Updated)
        {
            await output.WriteLineAsync($"updated:   {file}");
        }
        foreach (var rejection in report.Rejected)
        {
            await output.WriteLineAsync($"rejected:  {rejection.Path}: {rejection.Reason}");
        }
        await output.WriteLineAsync(
            $"{report.Added.Count} added, {report.Updated.Count} updated, {report.Unchanged.Count} unchanged, {report.Rejected.Count} rejected");
        return report.Rejected.Count == 0 ? 0 : 1;
    }

    /// <summary>Rebuilds the search index from the articles, with a progress bar.</summary>
    private static async Task<int> ReindexAsync(IServiceProvider services, TextWriter output, TextWriter error, bool errorIsTerminal)
    {
        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider);
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var progress = new Generate.ProgressBar(error, "reindex", redraw: errorIsTerminal);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int count;
        try
        {
            // Stopped (Ctrl+C, a kill) before its end, the rebuild leaves the index in use as it was.
            count = await scope.ServiceProvider.GetRequiredService<ISearchIndex>().RebuildAsync(db, progress, CancellationToken.None);
        }
        catch (SearchIndexBusyException e)
        {
            await error.WriteLineAsync($"reindex: {e.Message} / 另一个进程正在重建检索索引");
            return 1;
        }
        progress.Complete();
        await output.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"indexed {count:N0} articles in {watch.Elapsed.TotalSeconds:0.0} s / 已重建检索索引"));
        return 0;
    }

    /// <summary>Walks the whole audit chain; 0 when intact, 1 with the first broken entry.</summary>
    private static async Task<int> VerifyAuditAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider);
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var result = await AuditChain.VerifyAsync(db);
        if (result.Break is { } broken)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"audit verify: BROKEN at entry id {broken.Id} (sequence {broken.Sequence}): {broken.Describe()}"));
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"审计日志哈希链已损坏：第一条有问题的记录编号 {broken.Id}（序号 {broken.Sequence}）：{broken.DescribeChinese()}；此前 {result.Checked:N0} 条完好"));
            return 1;
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"audit verify: intact, {result.Checked:N0} entries checked; head sequence {result.HeadSequence}, hash {result.HeadHash}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"审计日志哈希链完好，共校验 {result.Checked:N0} 条；最新序号 {result.HeadSequence}，哈希 {result.HeadHash}"));
        return 0;
    }

    private static async Task<int> CreateUserAsync(IServiceProvider services, string[] args,
        TextReader input, TextWriter output, TextWriter error, bool interactive)
    {
        var parsed = ParseCreateUser(args);
        if (parsed is not ({ } email, var name, { } roles, null))
        {
            await error.WriteLineAsync($"create-user: {parsed.Problem}");
            await error.WriteLineAsync(CreateUserUsage);
            return 2;
        }

        string? password;
        if (interactive)
        {
            await error.WriteAsync($"请输入 {email} 的密码 / Password for {email}: ");
            password = ReadHiddenLine();
        }
        else
        {
            password = await input.ReadLineAsync();
        }
        if (password is null)
        {
            await error.WriteLineAsync("create-user: no password on standard input / 标准输入中没有密码");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider);
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var result = await accounts.CreateAsync(email, name, password, roles, "命令行（create-user）");
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"create-user: {email} was not created / 未创建用户：");
            foreach (var e in result.Errors)
            {
                await error.WriteLineAsync($"  {e.Code}: {e.Description}");
            }
            return 1;
        }
        await output.WriteLineAsync(
            $"created user {email}: {string.Join(", ", roles)} / 已创建用户 {email}，角色：{string.Join("、", roles.Select(NewsRoles.DisplayName))}");
        return 0;
    }

    /// <summary>--email, --role (repeatable, stored or Chinese name), --name; also in the --key=value form.</summary>
    internal static (string? Email, string? Name, List<string>? Roles, string? Problem) ParseCreateUser(string[] args)
    {
        string? email = null, name = null;
        var roles = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (key, value) = args[i].Split('=', 2) is [var k, var v] && k.StartsWith("--", StringComparison.Ordinal)
                ? (k, v)
                : (args[i], i + 1 < args.Length ? args[++i] : null);
            if (value is null)
            {
                return (null, null, null, $"{key} needs a value");
            }
            switch (key.ToLowerInvariant())
            {
                case "--email":
                    email = value.Trim();
                    break;
                case "--name":
                    name = value.Trim();
                    break;
                case "--role":
                    if (NewsRoles.Parse(value.Trim()) is not { } role)
                    {
                        return (null, null, null, $"unknown role '{value}' / 未知角色");
                    }
                    roles.Add(role);
                    break;
                case "--password":
                    return (null, null, null, "the password is read from standard input, not from an argument / 密码请从标准输入提供");
                default:
                    return (null, null, null, $"unknown option '{key}'");
            }
        }
        if (string.IsNullOrEmpty(email))
        {
            return (null, null, null, "--email is required / 缺少 --email");
        }
        if (roles.Count == 0)
        {
            return (null, null, null, "at least one --role is required / 至少需要一个 --role");
        }
        return (email, name, roles.Distinct().ToList(), null);
    }

    private static async Task<int> GenerateAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error,
        bool errorIsTerminal)
    {
        // --no-index leaves the index to a later reindex, so a benchmark can time the two steps apart.
        var skipIndex = args.Contains("--no-index", StringComparer.OrdinalIgnoreCase);
        var parsed = ParseGenerate(args.Where(a => !a.Equals("--no-index", StringComparison.OrdinalIgnoreCase)).ToArray());
        if (parsed is not ({ } count, { } seed, var batch, var content, null))
        {
            await error.WriteLineAsync($"generate: {parsed.Problem}");
            await error.WriteLineAsync(GenerateUsage);
            return 2;
        }
        string? folder;
        if (content is not null)
        {
            folder = Path.GetFullPath(content);
            if (!Directory.Exists(folder))
            {
                await error.WriteLineAsync($"generate: folder '{folder}' does not exist");
                return 2;
            }
        }
        else
        {
            var configured = services.GetRequiredService<IOptions<PovertyNewsOptions>>().Value.ContentPath;
            folder = DataFolder.ResolveContentPath(configured, services.GetRequiredService<IHostEnvironment>());
            if (folder is null)
            {
                await error.WriteLineAsync("generate: no content folder to learn from; pass --content <folder> or set PovertyNews:ContentPath");
                return 1;
            }
        }

        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider);
        var sp = scope.ServiceProvider;
        var generator = new CorpusGenerator(sp.GetRequiredService<NewsDbContext>(), sp.GetRequiredService<ContentImporter>(),
            sp.GetRequiredService<TimeProvider>(), skipIndex ? null : sp.GetService<ISearchIndex>());

        // Ctrl+C rolls back the batch in progress and restores the connection's settings; committed batches stay,
        // and a second run continues the numbering after them.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            await generator.RunAsync(new GenerateOptions(count, seed, batch, folder), output, error, errorIsTerminal, cancel.Token);
            return 0;
        }
        catch (GenerateException e)
        {
            await error.WriteLineAsync($"generate: {e.Message}");
            return 1;
        }
        catch (SearchIndexBusyException e)
        {
            // The articles are in; the start-up check (or a later reindex) indexes them.
            await error.WriteLineAsync($"generate: the articles were added but not indexed: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await error.WriteLineAsync("generate: cancelled; the batches committed before stay in the database (none if it ran as one transaction)");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>--count (required, ≥ 1), --seed (required, ≥ 0), --batch (≥ 1), --content; also as --key=value.</summary>
    internal static (int? Count, int? Seed, int Batch, string? Content, string? Problem) ParseGenerate(string[] args)
    {
        int? count = null, seed = null;
        var batch = GenerateOptions.DefaultBatch;
        string? content = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (key, value) = args[i].Split('=', 2) is [var k, var v] && k.StartsWith("--", StringComparison.Ordinal)
                ? (k, v)
                : (args[i], i + 1 < args.Length ? args[++i] : null);
            if (value is null)
            {
                return (null, null, 0, null, $"{key} needs a value");
            }
            switch (key.ToLowerInvariant())
            {
                case "--count":
                    if (ParseNumber(value, min: 1) is not { } c)
                    {
                        return (null, null, 0, null, $"--count must be a whole number from 1 to {int.MaxValue} (got '{value}')");
                    }
                    count = c;
                    break;
                case "--seed":
                    if (ParseNumber(value, min: 0) is not { } s)
                    {
                        return (null, null, 0, null, $"--seed must be a whole number from 0 to {int.MaxValue} (got '{value}')");
                    }
                    seed = s;
                    break;
                case "--batch":
                    if (ParseNumber(value, min: 1) is not { } b || b > 1_000_000)
                    {
                        return (null, null, 0, null, $"--batch must be a whole number from 1 to 1000000 (got '{value}')");
                    }
                    batch = b;
                    break;
                case "--content":
                    content = value;
                    break;
                default:
                    return (null, null, 0, null, $"unknown option '{key}'");
            }
        }
        if (count is null)
        {
            return (null, null, 0, null, "--count is required / 缺少 --count");
        }
        if (seed is null)
        {
            return (null, null, 0, null, "--seed is required / 缺少 --seed");
        }
        return (count, seed, batch, content, null);
    }

    // Digits only: no sign, no spaces, no thousands separators, so "-5" and "1e5" are refused rather than misread.
    private static int? ParseNumber(string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n : null;

    private static async Task MigrateAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<NewsDbContext>();
        await db.Database.MigrateAsync();
        await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
        await AuditChain.SealAsync(db, CancellationToken.None);
    }

    /// <summary>One line from the terminal without echoing it.</summary>
    private static string ReadHiddenLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                line.Length = Math.Max(0, line.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                line.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return line.ToString();
    }
}
