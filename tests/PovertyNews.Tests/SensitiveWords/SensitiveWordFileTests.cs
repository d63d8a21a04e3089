using System.Text;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Tests.SensitiveWords;

/// <summary>The import/export file: lines, actions, comments, byte-order mark, encoding, rejections by line number.</summary>
public sealed class SensitiveWordFileTests
{
    [Fact]
    public void Parse_ReadsWordsActionsAndDefaults_SkippingCommentsAndBlankLines()
    {
        var parsed = SensitiveWordFile.Parse("\uFEFF# 注释\n\n  \n违禁品\tblock\r\n替换词\tReplace\r提示词\n中文动作\t禁止\n空动作\t\n  # 缩进的注释\n");

        Assert.Empty(parsed.Rejected);
        Assert.Equal(
            [(4, "违禁品", SensitiveWordAction.Block), (5, "替换词", SensitiveWordAction.Replace), (6, "提示词", SensitiveWordAction.Flag),
             (7, "中文动作", SensitiveWordAction.Block), (8, "空动作", SensitiveWordAction.Flag)],
            parsed.Lines.Select(l => (l.Number, l.Word, l.Action)));
    }

    [Fact]
    public void Parse_RejectsBadLinesWithTheirNumbersAndKeepsTheRest()
    {
        var parsed = SensitiveWordFile.Parse("好词\n坏动作\tshout\n\tblock\n三\t列\t多\nＶＰＮ\nvpn\tblock\n带\u0001控制符\n");

        Assert.Equal(["好词", "ＶＰＮ"], parsed.Lines.Select(l => l.Word));
        Assert.Equal(
        [
            (2, "处理方式“shout”无法识别，应为 flag、block 或 replace。"),
            (3, "请填写敏感词。"),
            (4, "一行只能有一个制表符，格式为“词语<TAB>处理方式”。"),
            (6, "与第 5 行的词重复（不区分大小写和全角半角）。"),
            (7, "敏感词不能含有换行、制表符等控制字符。"),
        ], parsed.Rejected.Select(r => (r.Number, r.Reason)));
    }

    [Fact]
    public void Write_ThenParse_GivesTheSameWordsAndActions()
    {
        (string, SensitiveWordAction)[] words = [("违禁品", SensitiveWordAction.Block), ("ＶＰＮ 软件", SensitiveWordAction.Flag), ("代开发票", SensitiveWordAction.Replace)];

        var text = SensitiveWordFile.Write(words, new DateTime(2026, 11, 28, 16, 0, 0, DateTimeKind.Utc));
        var parsed = SensitiveWordFile.Parse(text);

        Assert.StartsWith("# 敏感词表，导出于 2026-11-29 00:00（北京时间），共 3 个\n", text);
        Assert.Empty(parsed.Rejected);
        Assert.Equal(words, parsed.Lines.Select(l => (l.Word, l.Action)));
    }

    [Fact]
    public void Decode_AcceptsUtf8WithOrWithoutBom_AndRefusesOtherEncodings()
    {
        Assert.Equal("违禁品\tblock", SensitiveWordFile.Decode(Encoding.UTF8.GetBytes("违禁品\tblock")));
        Assert.Equal("违禁品", SensitiveWordFile.Decode([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes("违禁品")]));
        Assert.Null(SensitiveWordFile.Decode([0xCE, 0xA5, 0xBD, 0xFB, 0xC6, 0xB7])); // 违禁品 in GBK
        Assert.Null(SensitiveWordFile.Decode([0xFF, 0xFE, 0x5D, 0x8F])); // UTF-16
    }
}
