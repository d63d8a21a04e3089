using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class SensitiveWordConfiguration : IEntityTypeConfiguration<SensitiveWord>
{
    public void Configure(EntityTypeBuilder<SensitiveWord> w)
    {
        w.Property(x => x.Word).HasMaxLength(SensitiveWord.MaxLength);
        w.Property(x => x.NormalizedWord).HasMaxLength(SensitiveWord.MaxLength);
        w.HasIndex(x => x.NormalizedWord).IsUnique();
        w.Property(x => x.CreatedBy).HasMaxLength(100);
        w.HasIndex(x => new { x.Action, x.NormalizedWord });
    }
}
