package net.demo;

// A greenDAO entity as its generator writes it: data-access methods beside the accessors.
public class ArticleEntity {
    private long id;
    private String title;
    private transient DaoSession daoSession;
    private transient ArticleEntityDao myDao;

    public ArticleEntity() {
    }

    public void __setDaoSession(DaoSession daoSession) {
        this.daoSession = daoSession;
        myDao = daoSession != null ? daoSession.getArticleEntityDao() : null;
    }

    public long getId() { return id; }
    public void setId(long id) { this.id = id; }
    public String getTitle() { return title; }
    public void setTitle(String title) { this.title = title; }

    public void delete() {
        if (myDao == null) {
            throw new DaoException("Entity is detached from DAO context");
        }
        myDao.delete(this);
    }
}
