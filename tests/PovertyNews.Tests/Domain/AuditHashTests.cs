using System.Text;
using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

public sealed class AuditHashTests
{
    private static AuditEntry Sample() => new()
    {
        Id = 99,
        Sequence = 1,
        At = new DateTime(2026, 12, 5, 10, 35, 39, DateTimeKind.Utc).AddTicks(1234567),
        UserId = "u1",
        UserName = "张编辑",
        Action = "article.saved",
        Target = "article:42",
        Details = null,
        ClientAddress = "127.0.0.1",
        PreviousHash = AuditHash.Genesis,
    };

    [Fact]
    public void Canonical_IsTheDocumentedLengthPrefixedForm()
    {
        var text = Encoding.UTF8.GetString(AuditHash.Canonical(Sample()));

        Assert.Equal(
            "povertynews-audit-v1\n1:1\n28:2026-12-05T10:35:39.1234567Z\n2:u1\n9:张编辑\n13:article.saved\n10:article:42\n~\n9:127.0.0.1\n64:"
            + new string('0', 64) + "\n", text);
    }

    [Fact]
    public void Compute_IsSha256OfTheCanonicalForm_AsComputedIndependently()
    {
        // Python: hashlib.sha256(canonical bytes).hexdigest()
        Assert.Equal("0de8fda423b9c200e2c1b70b544e355558a53a531f06cc8914c7e93654e7affc", AuditHash.Compute(Sample()));
    }

    [Fact]
    public void Compute_IgnoresTheDatabaseId()
    {
        var other = Sample();
        other.Id = 1;

        Assert.Equal(AuditHash.Compute(Sample()), AuditHash.Compute(other));
    }

    public static TheoryData<string> Changes => ["sequence", "at", "userId", "userName", "action", "target", "details", "address", "previous"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Compute_ChangesWithEveryHashedField(string field)
    {
        var changed = Sample();
        switch (field)
        {
            case "sequence": changed.Sequence = 2; break;
            case "at": changed.At = changed.At.AddTicks(1); break;
            case "userId": changed.UserId = null; break;
            case "userName": changed.UserName = "李编辑"; break;
            case "action": changed.Action = "article.created"; break;
            case "target": changed.Target = "article:43"; break;
            case "details": changed.Details = ""; break;
            case "address": changed.ClientAddress = "127.0.0.2"; break;
            default: changed.PreviousHash = new string('1', 64); break;
        }

        Assert.NotEqual(AuditHash.Compute(Sample()), AuditHash.Compute(changed));
    }

    [Fact]
    public void Canonical_CannotBeForgedByMovingTextBetweenFields()
    {
        // Without the length prefix, "a\n" + "b" and "a" + "\nb" would serialise alike.
        var first = Sample();
        first.Target = "a\n9:x";
        first.Details = "b";
        var second = Sample();
        second.Target = "a";
        second.Details = "\n9:xb";

        Assert.NotEqual(AuditHash.Compute(first), AuditHash.Compute(second));
    }

    [Fact]
    public void FormatTime_IsUtcIso8601WithSevenDigits_WhateverTheKind()
    {
        var utc = new DateTime(2020, 6, 23, 1, 30, 0, DateTimeKind.Utc);

        Assert.Equal("2020-06-23T01:30:00.0000000Z", AuditHash.FormatTime(utc));
        Assert.Equal("2020-06-23T01:30:00.0000000Z", AuditHash.FormatTime(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified)));
        Assert.Equal("2020-06-23T01:30:00.0000000Z", AuditHash.FormatTime(utc.ToLocalTime()));
    }

    [Fact]
    public void Link_NumbersAndChainsAfterThePrevious()
    {
        var first = Sample();
        AuditHash.Link(first, 0, AuditHash.Genesis);
        var second = Sample();
        AuditHash.Link(second, first.Sequence, first.Hash!);

        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(AuditHash.Compute(second), second.Hash);
        Assert.Matches("^[0-9a-f]{64}$", second.Hash);
    }

    [Fact]
    public void Matches_ATimeStoredToTheMicrosecond_WhenTheDatabaseKeepsMicroseconds()
    {
        var entry = Sample();
        var hash = AuditHash.Compute(entry);
        entry.At = new DateTime(entry.At.Ticks - entry.At.Ticks % 10, DateTimeKind.Utc); // what PostgreSQL gives back

        Assert.True(AuditHash.Matches(entry, hash, storedToMicroseconds: true));
        Assert.False(AuditHash.Matches(entry, hash, storedToMicroseconds: false));
        Assert.Equal(new DateTime(2026, 12, 5, 10, 35, 39, DateTimeKind.Utc).AddTicks(1234560), entry.At);
    }

    [Fact]
    public void Matches_NotAChangedEntryOrATimeMovedByAMicrosecond()
    {
        var entry = Sample();
        var hash = AuditHash.Compute(entry);
        var truncated = new DateTime(entry.At.Ticks - entry.At.Ticks % 10, DateTimeKind.Utc);

        entry.At = truncated.AddTicks(10);
        Assert.False(AuditHash.Matches(entry, hash, storedToMicroseconds: true));
        entry.At = truncated;
        entry.Details = "changed";
        Assert.False(AuditHash.Matches(entry, hash, storedToMicroseconds: true));
    }
}
