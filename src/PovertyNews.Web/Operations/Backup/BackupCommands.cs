using System.Globalization;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>
/// The <c>backup</c> and <c>restore</c> verbs. Exit codes: 0 done (or sound), 1 refused or damaged, 2 usage errors.
/// </summary>
public static class BackupCommands
{
    public const string BackupUsage =
        """
        usage: backup <file>             write an archive of the site (database, media, keys, manifest) to <file>
               backup --verify <file>    check an archive: every checksum, the database's integrity, the counts
          The backup is consistent while the site keeps running and saving. <file> must not exist; a .zip name is usual.
          Exit code 0: written / sound; 1: failed / damaged (says what); 2: usage.
          备份整站（数据库、媒体文件、密钥及清单）；--verify 校验备份文件。
        """;

    public const string RestoreUsage =
        """
        usage: restore <file> [--data <folder>]
          Restores an archive into the configured data folder, or into <folder> (news.db, media/, keys/ there).
          Refuses a folder that has a database, and an archive that fails its check; nothing is written then.
          Exit code 0: restored; 1: refused (says why); 2: usage.
          从备份恢复到空的数据目录；目录中已有数据库或备份文件损坏时拒绝恢复。
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string verb, string[] args, TextWriter output, TextWriter error)
    {
        var backups = services.GetRequiredService<BackupService>();
        var parsed = Parse(args, allowVerify: verb == "backup", allowData: verb == "restore");
        if (parsed is not { File: { } file } || parsed.Problem is not null)
        {
            if (parsed.Problem is not null)
            {
                await error.WriteLineAsync($"{verb}: {parsed.Problem}");
            }
            await error.WriteLineAsync(verb == "backup" ? BackupUsage : RestoreUsage);
            return 2;
        }
        return verb == "restore" ? await RestoreAsync(backups, file, parsed.Data, output, error)
            : parsed.Verify ? await VerifyAsync(backups, file, output, error)
            : await BackupAsync(backups, file, output, error);
    }

    /// <summary>One file, with --verify (backup) or --data &lt;folder&gt; (restore), in any order; also --data=folder.</summary>
    internal static (string? File, bool Verify, string? Data, string? Problem) Parse(string[] args, bool allowVerify, bool allowData)
    {
        string? file = null, data = null;
        var verify = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (allowVerify && arg == "--verify")
            {
                verify = true;
            }
            else if (allowData && (arg == "--data" || arg.StartsWith("--data=", StringComparison.Ordinal)))
            {
                data = arg == "--data" ? (i + 1 < args.Length ? args[++i] : null) : arg["--data=".Length..];
                if (string.IsNullOrWhiteSpace(data))
                {
                    return (null, false, null, "--data needs a folder");
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                return (null, false, null, $"unknown option '{arg}'");
            }
            else if (file is null)
            {
                file = arg;
            }
            else
            {
                return (null, false, null, $"one file only (got '{file}' and '{arg}')");
            }
        }
        return file is null ? (null, false, null, "which file? / 缺少文件名") : (file, verify, data, null);
    }

    private static async Task<int> UsageAsync(TextWriter error, string usage)
    {
        await error.WriteLineAsync(usage);
        return 2;
    }

    private static async Task<int> BackupAsync(BackupService backups, string file, TextWriter output, TextWriter error)
    {
        try
        {
            var result = await backups.CreateAsync(Path.GetFullPath(file));
            var m = result.Manifest;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"backup: wrote {result.File} ({result.Size:N0} bytes) in {result.Elapsed.TotalSeconds:0.0} s: {m.Counts.Articles:N0} articles, {m.Counts.Users:N0} users, {m.Counts.Revisions:N0} revisions, {m.Counts.Media:N0} media items, {m.Files.Count:N0} files; schema {m.Schema}"));
            await output.WriteLineAsync($"已备份到 {result.File}");
            return 0;
        }
        catch (BackupException e)
        {
            await error.WriteLineAsync($"backup: {e.Message} / 备份失败");
            return 1;
        }
    }

    private static async Task<int> VerifyAsync(BackupService backups, string file, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"backup --verify: {Path.GetFullPath(file)} does not exist / 文件不存在");
            return 2;
        }
        var check = await backups.VerifyAsync(Path.GetFullPath(file));
        if (!check.Ok)
        {
            await error.WriteLineAsync($"backup --verify: DAMAGED: {Path.GetFullPath(file)} / 备份文件已损坏，不可用于恢复：");
            foreach (var problem in check.Problems)
            {
                await error.WriteLineAsync("  " + problem);
            }
            return 1;
        }
        var m = check.Manifest!;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"backup --verify: sound: {m.Files.Count:N0} files ({m.TotalBytes:N0} bytes) match their SHA-256, the database passes its {(m.IsPostgres ? "pg_restore --list" : "integrity")} check and holds {m.Counts.Articles:N0} articles, {m.Counts.Users:N0} users, {m.Counts.Revisions:N0} revisions, {m.Counts.Media:N0} media items as the manifest says; made {m.CreatedAt:u} by {m.AppVersion}, schema {m.Schema}"));
        await output.WriteLineAsync("备份文件完好");
        return 0;
    }

    private static async Task<int> RestoreAsync(BackupService backups, string file, string? folder, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"restore: {Path.GetFullPath(file)} does not exist / 文件不存在");
            return 2;
        }
        // On PostgreSQL --data moves media/ and keys/ only: the database is always the configured connection's.
        var target = folder is null ? backups.Layout : BackupLayout.InDataFolder(folder) with { PostgresConnection = backups.Layout.PostgresConnection };
        var result = await backups.RestoreAsync(Path.GetFullPath(file), target);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"restore: REFUSED; nothing was restored into {target.DatabaseLocation} / 未恢复：");
            foreach (var problem in result.Problems)
            {
                await error.WriteLineAsync("  " + problem);
            }
            return 1;
        }
        var m = result.Manifest!;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"restore: restored the backup of {m.CreatedAt:u} into {target.DatabaseLocation}: {m.Counts.Articles:N0} articles, {m.Counts.Users:N0} users, {m.Counts.Revisions:N0} revisions, {m.Counts.Media:N0} media items; start the site on it as usual"));
        await output.WriteLineAsync("已恢复，可以照常启动网站");
        return 0;
    }
}
