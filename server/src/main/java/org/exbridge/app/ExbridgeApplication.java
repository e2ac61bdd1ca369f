package org.exbridge.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication(scanBasePackages = "org.exbridge")
public class ExbridgeApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExbridgeApplication.class, args);
  }
}
