using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.Property(x => x.UserId).HasMaxLength(450);
        e.Property(x => x.UserName).HasMaxLength(256);
        e.Property(x => x.Action).HasMaxLength(50);
        e.Property(x => x.Target).HasMaxLength(300);
        e.Property(x => x.Details).HasMaxLength(2000);
        e.Property(x => x.ClientAddress).HasMaxLength(64);
        e.HasIndex(x => x.At);
        e.HasIndex(x => new { x.Action, x.At });
        e.HasIndex(x => new { x.UserId, x.At });
        e.Property(x => x.PreviousHash).HasMaxLength(64);
        e.Property(x => x.Hash).HasMaxLength(64);
        // Two saves can never claim the same link: the chain cannot fork.
        e.HasIndex(x => x.Sequence).IsUnique();
    }
}

internal sealed class AuditAnchorConfiguration : IEntityTypeConfiguration<AuditAnchor>
{
    public void Configure(EntityTypeBuilder<AuditAnchor> e)
    {
        e.Property(x => x.Hash).HasMaxLength(64);
        e.HasIndex(x => x.Sequence).IsUnique();
    }
}
