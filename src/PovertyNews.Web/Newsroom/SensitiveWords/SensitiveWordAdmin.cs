using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.SensitiveWords;

/// <summary>What an import did: counts, and the lines it refused with the reason.</summary>
public sealed record SensitiveWordImport(int Added, int Updated, int Unchanged, IReadOnlyList<SensitiveWordFile.Rejected> Rejected)
{
    public string Summary => $"新增 {Added} 个，更新 {Updated} 个，未变（跳过） {Unchanged} 个，拒绝 {Rejected.Count} 行";
}

/// <summary>
/// Changes the sensitive-word list. Every change is written with its audit entry in one unit of work, and the
/// compiled list is dropped afterwards, so the next article checked sees the change. Every change answers a
/// <see cref="Result"/> whose message is the flash or the refusal.
/// </summary>
public sealed class SensitiveWordAdmin(
    NewsDbContext db,
    AuditLog audit,
    SensitiveWordCache cache,
    IClusterBus cluster,
    TimeProvider time,
    ILogger<SensitiveWordAdmin> logger)
{
    /// <summary>Form fields the refusals name: the word being added, the file being imported.</summary>
    public const string WordField = "Word", FileField = "Upload";

    public const string ImportConflictMessage = "导入时敏感词表正好被他人修改，这次没有导入任何词。请重新导入。";

    public static string Target(string word) => $"sensitive-word:{word}";

    /// <summary>The next article checked, on this node or any other, is checked against the changed list.</summary>
    private async Task ListChangedAsync(CancellationToken ct)
    {
        cache.Invalidate();
        await cluster.AnnounceAsync(ClusterChange.WordList, ct);
    }

    public async Task<Result> AddAsync(string? raw, SensitiveWordAction action, Actor actor, CancellationToken ct)
    {
        if (!Enum.IsDefined(action))
        {
            return Refused("请选择处理方式。");
        }
        if (SensitiveWord.Check(raw, out var word, out var normalized) is { } error)
        {
            return Refused(error);
        }
        if (await ExistingAsync(normalized, ct) is { } existing)
        {
            return Refused(Duplicate(word, existing));
        }
        var now = time.GetUtcNow().UtcDateTime;
        db.SensitiveWords.Add(new SensitiveWord
        {
            Word = word,
            NormalizedWord = normalized,
            Action = action,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = AuditLog.Clean(actor.Name, 100),
        });
        audit.Add(AuditActions.SensitiveWordAdded, Target(word), $"处理方式：{SensitiveWord.ActionName(action)}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone added the same word a moment ago: the unique index refused the second.
            db.ChangeTracker.Clear();
            if (await ExistingAsync(normalized, ct) is { } raced)
            {
                return Refused(Duplicate(word, raced));
            }
            throw;
        }
        await ListChangedAsync(ct);
        logger.LogInformation("Sensitive word {Word} added as {Action} by {UserId}", word, action, actor.UserId);
        return Result.Done($"已添加敏感词“{raw!.Trim()}”（{SensitiveWord.ActionName(action)}）。");
    }

    /// <summary>Sets a word's action; not found when the word does not exist (any more).</summary>
    public async Task<Result> SetActionAsync(int id, SensitiveWordAction action, Actor actor, CancellationToken ct)
    {
        var entry = await db.SensitiveWords.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (entry is null || !Enum.IsDefined(action))
        {
            return Result.NotFound();
        }
        if (entry.Action == action)
        {
            return Result.Unchanged($"“{entry.Word}”的处理方式本来就是“{SensitiveWord.ActionName(action)}”，没有变化。");
        }
        audit.Add(AuditActions.SensitiveWordChanged, Target(entry.Word),
            $"处理方式：{SensitiveWord.ActionName(entry.Action)} → {SensitiveWord.ActionName(action)}");
        var old = entry.Action;
        entry.Action = action;
        entry.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await ListChangedAsync(ct);
        logger.LogInformation("Sensitive word {Word} changed from {OldAction} to {Action} by {UserId}", entry.Word, old, action, actor.UserId);
        return Result.Done($"已把“{entry.Word}”的处理方式改为“{SensitiveWord.ActionName(action)}”。");
    }

    /// <summary>Deletes a word; not found when it does not exist (any more).</summary>
    public async Task<Result> DeleteAsync(int id, Actor actor, CancellationToken ct)
    {
        var entry = await db.SensitiveWords.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (entry is null)
        {
            return Result.NotFound();
        }
        db.SensitiveWords.Remove(entry);
        audit.Add(AuditActions.SensitiveWordDeleted, Target(entry.Word), $"原处理方式：{SensitiveWord.ActionName(entry.Action)}");
        await db.SaveChangesAsync(ct);
        await ListChangedAsync(ct);
        logger.LogInformation("Sensitive word {Word} deleted by {UserId}", entry.Word, actor.UserId);
        return Result.Done($"已删除敏感词“{entry.Word}”。");
    }

    /// <summary>
    /// Merges a file into the list: new words are added, listed ones take the file's action, nothing is deleted.
    /// Bad lines are reported and the good ones imported, all in one transaction with one audit entry; the report is
    /// the result's value. A conflict when the list changed underneath (a word of the file was added meanwhile) and
    /// nothing was imported.
    /// </summary>
    public async Task<Result<SensitiveWordImport>> ImportAsync(string text, string fileName, Actor actor, CancellationToken ct)
    {
        var parsed = SensitiveWordFile.Parse(text);
        var existing = await db.SensitiveWords.ToDictionaryAsync(w => w.NormalizedWord, StringComparer.Ordinal, ct);
        var now = time.GetUtcNow().UtcDateTime;
        int added = 0, updated = 0, unchanged = 0;
        foreach (var line in parsed.Lines)
        {
            if (existing.TryGetValue(line.Normalized, out var entry))
            {
                if (entry.Action == line.Action)
                {
                    unchanged++;
                    continue;
                }
                entry.Action = line.Action;
                entry.UpdatedAt = now;
                updated++;
                continue;
            }
            var word = new SensitiveWord
            {
                Word = line.Word,
                NormalizedWord = line.Normalized,
                Action = line.Action,
                CreatedAt = now,
                UpdatedAt = now,
                CreatedBy = AuditLog.Clean(actor.Name, 100),
            };
            existing[line.Normalized] = word;
            db.SensitiveWords.Add(word);
            added++;
        }
        var result = new SensitiveWordImport(added, updated, unchanged, parsed.Rejected);
        audit.Add(AuditActions.SensitiveWordsImported, "sensitive-words", $"文件“{fileName}”：{result.Summary}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            // A word of the file was added by someone else meanwhile; nothing of this import was written.
            db.ChangeTracker.Clear();
            logger.LogWarning(ex, "Import of sensitive words from {FileName} collided with another change", fileName);
            return Result.Conflict([new InputError(FileField, ImportConflictMessage)]).As<SensitiveWordImport>();
        }
        await ListChangedAsync(ct);
        logger.LogInformation("Sensitive words imported from {FileName} by {UserId}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected",
            fileName, actor.UserId, added, updated, unchanged, parsed.Rejected.Count);
        return Result<SensitiveWordImport>.Done(result);
    }

    /// <summary>The whole list in the import format, ordered by word.</summary>
    public async Task<string> ExportAsync(CancellationToken ct)
    {
        var words = await db.SensitiveWords.AsNoTracking().OrderBy(w => w.NormalizedWord)
            .Select(w => new { w.Word, w.Action }).ToListAsync(ct);
        return SensitiveWordFile.Write(words.Select(w => (w.Word, w.Action)), time.GetUtcNow().UtcDateTime);
    }

    private static Result Refused(string message) => Result.Refused(new InputError(WordField, message));

    private Task<string?> ExistingAsync(string normalized, CancellationToken ct) =>
        db.SensitiveWords.AsNoTracking().Where(w => w.NormalizedWord == normalized).Select(w => w.Word).FirstOrDefaultAsync(ct);

    private static string Duplicate(string word, string existing) => word == existing
        ? $"敏感词“{word}”已在表中。"
        : $"“{word}”与表中已有的“{existing}”相同（不区分大小写、全角半角和汉字间的空格），不能重复添加。";
}
