using System.Text;
using PovertyNews.Web.Generate;

namespace PovertyNews.Tests.Generate;

public sealed class MarkovTextTests
{
    private static readonly string[] Sentences =
    [
        "十八洞村培育六大支柱产业。",
        "全村人均年收入达到14668元。",
        "代表团来到十八洞村考察产业扶贫。",
        "截至2020年5月，该校累计培训4482人。",
        "代表团考察扶贫协作项目，了解产业发展情况。",
    ];

    private static List<string> Generate(MarkovText model, int seed, int count)
    {
        var random = new FastRandom(seed, 0);
        var text = new StringBuilder();
        var result = new List<string>();
        while (result.Count < count)
        {
            text.Clear();
            if (model.AppendSentence(random, text, 200) > 0)
            {
                result.Add(text.ToString());
            }
        }
        return result;
    }

    [Fact]
    public void SameSentencesAndSeed_SameText()
    {
        var first = Generate(MarkovText.Train(Sentences), seed: 7, count: 50);
        var second = Generate(MarkovText.Train(Sentences), seed: 7, count: 50);

        Assert.Equal(first, second);
    }

    [Fact]
    public void DifferentSeeds_DifferentText()
    {
        var model = MarkovText.Train(Sentences, order: 1);

        Assert.NotEqual(Generate(model, seed: 1, count: 50), Generate(model, seed: 2, count: 50));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Sentence_EndsWithItsPunctuationAndNowhereElse(int order)
    {
        foreach (var sentence in Generate(MarkovText.Train(Sentences, order), seed: 3, count: 200))
        {
            Assert.EndsWith("。", sentence);
            Assert.DoesNotContain("。", sentence[..^1]);
        }
    }

    [Fact]
    public void Numbers_ComeOutWhole()
    {
        var numbers = new HashSet<string> { "14668", "2020", "5", "4482" };

        foreach (var sentence in Generate(MarkovText.Train(Sentences, order: 1), seed: 5, count: 300))
        {
            foreach (var number in System.Text.RegularExpressions.Regex.Matches(sentence, "[0-9]+").Select(m => m.Value))
            {
                Assert.Contains(number, numbers);
            }
        }
    }

    [Fact]
    public void SentenceLongerThanTheLimit_LeavesTheTextAsItWas()
    {
        var model = MarkovText.Train(["这是一个比较长的句子，不能放进很短的限制里。"]);
        var text = new StringBuilder("前文");

        var appended = model.AppendSentence(new FastRandom(1, 1), text, maxLength: 5);

        Assert.Equal(0, appended);
        Assert.Equal("前文", text.ToString());
    }

    [Fact]
    public void Clause_StopsAtTheFirstComma()
    {
        var model = MarkovText.Train(["代表团考察扶贫协作项目，了解产业发展情况。"]);
        var text = new StringBuilder();

        model.AppendClause(new FastRandom(1, 1), text, 100);

        Assert.Equal("代表团考察扶贫协作项目，", text.ToString());
    }

    [Fact]
    public void NothingToLearn_AppendsNothing()
    {
        var model = MarkovText.Train(["no sentence end", ""]);

        Assert.Equal(0, model.AppendSentence(new FastRandom(1, 1), new StringBuilder(), 100));
    }

    [Fact]
    public void FastRandom_SameSeed_SameSequence()
    {
        var a = new FastRandom(42, 7);
        var b = new FastRandom(42, 7);
        var c = new FastRandom(42, 8);

        var first = Enumerable.Range(0, 20).Select(_ => a.Next(1000)).ToList();
        Assert.Equal(first, Enumerable.Range(0, 20).Select(_ => b.Next(1000)));
        Assert.NotEqual(first, Enumerable.Range(0, 20).Select(_ => c.Next(1000)));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => a.Next(3, 9)), n => Assert.InRange(n, 3, 8));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => a.NextDouble()), d => Assert.InRange(d, 0, 0.9999999999));
    }
}
