using System.Text;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Import;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// Command-line verbs run instead of the web server: <c>dotnet run --project src/PovertyNews.Web -- import content</c>,
/// <c>… -- create-user --email a@b.c --role 编辑</c>. Exit codes: 0 done, 1 refused input (rejected files,
/// password rules), 2 usage errors.
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

    private static readonly string[] Verbs = ["import", "create-user", "reindex"];

    /// <summary>The verb in <paramref name="args"/>, if any; the web host must not see it as configuration.</summary>
    public static string? Find(string[] args) =>
        args.Length > 0 && Verbs.Contains(args[0], StringComparer.OrdinalIgnoreCase) ? args[0].ToLowerInvariant() : null;

    public static Task<int> RunAsync(WebApplication app, string verb, string[] args) =>
        RunAsync(app.Services, verb, args, Console.In, Console.Out, Console.Error, interactive: !Console.IsInputRedirected);

    /// <summary>
    /// Runs <paramref name="verb"/> (with <paramref name="args"/>[0] being the verb) against the app's services.
    /// <paramref name="interactive"/>: standard input is a terminal, so prompt and read the password without echo.
    /// </summary>
    public static async Task<int> RunAsync(IServiceProvider services, string verb, string[] args,
        TextReader input, TextWriter output, TextWriter error, bool interactive = false)
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
                return await ReindexAsync(services, output, interactive);
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
    private static async Task<int> ReindexAsync(IServiceProvider services, TextWriter output, bool interactive)
    {
        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider);
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var progress = new ConsoleProgress(output, "reindex", redraw: interactive && !Console.IsOutputRedirected);
        var count = await scope.ServiceProvider.GetRequiredService<Search.ISearchIndex>().RebuildAsync(db, progress, CancellationToken.None);
        await output.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"indexed {count:N0} articles in {progress.Elapsed.TotalSeconds:0.0} s / 已重建检索索引"));
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

    private static async Task MigrateAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<NewsDbContext>();
        await db.Database.MigrateAsync();
        await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
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
