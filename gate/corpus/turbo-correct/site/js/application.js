// Entry point for the site's JavaScript (importmap "application")
import "@hotwired/turbo"
